/**
 * Micrometer meters for clusterix. {@link io.clusterix.micrometer.ClusterixMetrics} binds the meters of one
 * {@link io.clusterix.Clusterix} instance to a {@code MeterRegistry}, with or without Spring:
 * {@code new ClusterixMetrics(cluster).bindTo(registry)}. It only listens: the engine's public listeners and
 * {@link io.clusterix.Clusterix#onHeartbeat} hand it every value, so a registry never slows heartbeats down.
 */
package io.clusterix.micrometer;
