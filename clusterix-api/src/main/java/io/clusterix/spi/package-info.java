/**
 * The service provider interface between the engine and a Redis client: {@link io.clusterix.spi.HeartbeatStore}
 * (what a store guarantees), {@link io.clusterix.spi.ScriptedHeartbeatStore} (the shared Lua implementation a
 * backend adapts to its client) and {@link io.clusterix.spi.HeartbeatStoreProvider} (how a backend is found).
 */
package io.clusterix.spi;
