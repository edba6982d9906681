/**
 * Spring Boot auto-configuration for clusterix: one {@link io.clusterix.Clusterix} node built from the application's
 * Redis ({@link io.clusterix.spring.boot.autoconfigure.ClusterixAutoConfiguration}), configured by the
 * {@code clusterix.*} properties ({@link io.clusterix.spring.boot.autoconfigure.ClusterixProperties}), joined and
 * closed with the application context ({@link io.clusterix.spring.boot.autoconfigure.ClusterixLifecycle}), its
 * events published as application events; health, endpoint and metrics in their own conditional configurations.
 */
package io.clusterix.spring.boot.autoconfigure;
