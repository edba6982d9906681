package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.spring.boot.actuate.ClusterixEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code /actuator/clusterix} endpoint, when Actuator is on the class path and the endpoint is exposed. */
@AutoConfiguration(after = ClusterixAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(ClusterixState.class)
public final class ClusterixEndpointAutoConfiguration {
    ClusterixEndpointAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    ClusterixEndpoint clusterixEndpoint(ClusterixState state) {
        return new ClusterixEndpoint(state);
    }
}
