package io.clusterix;

/**
 * Why a node is down: the {@link NodeDownEvent#reason()} of a death. A top-level type, like {@link EvictionReason},
 * so that both import without clashing.
 */
public enum NodeDownReason {
    /** No heartbeat for longer than {@code timeout}, by Redis server time: crashed, hung or cut off. */
    TIMED_OUT,
    /** The node left on purpose with {@link Clusterix#close()} (or at JVM shutdown, see
     * {@link Clusterix.Builder#leaveOnShutdown(boolean)}). */
    LEFT
}
