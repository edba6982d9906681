/**
 * The clusterix TCK: {@link io.clusterix.tck.HeartbeatStoreContract} and {@link io.clusterix.tck.ClusterixContract}
 * are abstract JUnit 5 classes that every backend runs unmodified by subclassing them with its
 * {@link io.clusterix.tck.TckBackend}; {@link io.clusterix.tck.RedisFixture} provides the real Redis they run against.
 *
 * <p>Depend on this jar with {@code <scope>test</scope>}.
 */
package io.clusterix.tck;
