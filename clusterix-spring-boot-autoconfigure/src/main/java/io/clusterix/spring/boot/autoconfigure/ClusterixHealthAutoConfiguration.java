package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.spring.boot.actuate.ClusterixHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code clusterix} health contributor, when Spring Boot's health support is on the class path and
 * {@code management.health.clusterix.enabled} is not false.
 */
@AutoConfiguration(after = ClusterixAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(ClusterixState.class)
@ConditionalOnEnabledHealthIndicator("clusterix")
public final class ClusterixHealthAutoConfiguration {
    ClusterixHealthAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(name = {"clusterixHealthIndicator", "clusterixHealthContributor"})
    ClusterixHealthIndicator clusterixHealthIndicator(ClusterixState state) {
        return new ClusterixHealthIndicator(state);
    }
}
