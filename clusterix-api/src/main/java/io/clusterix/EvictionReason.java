package io.clusterix;

/**
 * Why this node lost its entry: the {@link EvictionEvent#reason()} of an eviction. A top-level type, like
 * {@link NodeDownReason}, so that both import without clashing.
 */
public enum EvictionReason {
    /**
     * Another node declared this one dead (its heartbeats were older than {@code timeout}: a long GC pause, a
     * stopped process, a network partition) and received the "node down" event for it.
     */
    DECLARED_DEAD,
    /** Another process joined with the same node id after this node's heartbeats went stale, and took it over. */
    TAKEN_OVER
}
