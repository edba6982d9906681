package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;

/**
 * Changes the builder of the auto-configured {@code Clusterix} after the {@code clusterix.*} properties were applied,
 * for what properties cannot say (a {@code listenerExecutor}, computed metadata). Every bean of this type is applied,
 * in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface ClusterixBuilderCustomizer {
    /** @param builder the builder, with the properties applied */
    void customize(Clusterix.Builder builder);
}
