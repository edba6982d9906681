/**
 * The Redisson backend: {@link io.clusterix.redisson.RedissonHeartbeatStore} sends clusterix's script with
 * Redisson's asynchronous {@code RScript}; {@link io.clusterix.redisson.RedissonHeartbeatStoreProvider} lets
 * {@link io.clusterix.Clusterix#builder(Object)} find it.
 */
package io.clusterix.redisson;
