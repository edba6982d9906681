/**
 * The {@code clusterix} command line and dashboard: {@link io.clusterix.cli.ClusterixCli} and its commands, over one
 * Lettuce connection ({@code RedisConnection}). Everything reads the cluster's keys with plain read commands, except
 * {@code evict}, which runs the clusterix script's {@code evict} operation.
 */
package io.clusterix.cli;
