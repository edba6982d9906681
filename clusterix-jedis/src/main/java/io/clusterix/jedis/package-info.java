/**
 * The Jedis backend: {@link io.clusterix.jedis.JedisHeartbeatStore} runs clusterix's script through a Jedis client
 * on a background executor, so that no caller waits on Jedis's blocking I/O;
 * {@link io.clusterix.jedis.JedisHeartbeatStoreProvider} lets {@link io.clusterix.Clusterix#builder(Object)} find it.
 */
package io.clusterix.jedis;
