/**
 * JMH benchmarks of each {@link io.clusterix.spi.HeartbeatStore} operation (join, heartbeat, heartbeat with a poll
 * folded in, poll, nodes) on each backend, against a {@code redis-server} each benchmark JVM starts on a free port.
 * Throughput per operation; run with {@code -prof gc} for the bytes allocated per operation.
 */
package io.clusterix.bench.jmh;
