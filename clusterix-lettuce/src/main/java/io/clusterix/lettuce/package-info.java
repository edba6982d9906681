/**
 * The Lettuce backend: {@link io.clusterix.lettuce.LettuceHeartbeatStore} sends clusterix's script with Lettuce's
 * asynchronous API, on a connection of any codec; {@link io.clusterix.lettuce.LettuceHeartbeatStoreProvider} lets
 * {@link io.clusterix.Clusterix#builder(Object)} find it.
 */
package io.clusterix.lettuce;
