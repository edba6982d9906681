/**
 * The clusterix TCK: {@link io.clusterix.tck.HeartbeatStoreContract}, {@link io.clusterix.tck.ClusterixContract} and
 * {@link io.clusterix.tck.EvictionContract} are abstract JUnit 5 classes that every backend runs unmodified by
 * subclassing them with its
 * {@link io.clusterix.tck.TckBackend}; {@link io.clusterix.fixture.RedisFixture} (in {@code clusterix-redis-fixture},
 * a dependency of this jar) provides the real Redis they run against.
 *
 * <p>The same contracts run on a standalone server (the default) and, when a subclass overrides
 * {@link io.clusterix.tck.BackendContract#topology()}, on a local Redis Cluster ({@link
 * io.clusterix.fixture.LocalRedisCluster}) or Sentinel deployment ({@link io.clusterix.fixture.LocalRedisSentinel}),
 * with the backend's clients for that {@link io.clusterix.fixture.RedisTopology}; {@link
 * io.clusterix.tck.TopologyContract} adds slot placement and failovers.
 *
 * <p>Depend on this jar with {@code <scope>test</scope>}.
 */
package io.clusterix.tck;
