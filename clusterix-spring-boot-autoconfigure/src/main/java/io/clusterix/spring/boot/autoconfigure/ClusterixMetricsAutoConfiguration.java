package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.micrometer.ClusterixMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The clusterix meters ({@link ClusterixMetrics}, a {@code MeterBinder} that Spring Boot binds to every registry),
 * when Micrometer and {@code clusterix-micrometer} are on the class path and a {@link MeterRegistry} bean exists.
 */
@AutoConfiguration(after = ClusterixAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, ClusterixMetrics.class})
@ConditionalOnBean({MeterRegistry.class, Clusterix.class})
public final class ClusterixMetricsAutoConfiguration {
    ClusterixMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    ClusterixMetrics clusterixMetrics(Clusterix cluster) {
        return new ClusterixMetrics(cluster);
    }
}
