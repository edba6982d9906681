/**
 * Benchmarks of clusterix, not a library: {@link io.clusterix.bench.ScaleSimulator} runs N virtual nodes (real
 * {@link io.clusterix.Clusterix} instances) on K shared connections against one Redis, kills a sample and measures
 * Redis CPU, calls per node and detection latency; {@link io.clusterix.bench.ScaleChart} draws its CSV; the JMH
 * benchmarks of each store operation are in {@code io.clusterix.bench.jmh}. See docs/PERFORMANCE.md.
 */
package io.clusterix.bench;
