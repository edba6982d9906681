package io.clusterix;

/**
 * What a node does after it learned that it was evicted (see {@link EvictionEvent}).
 */
public enum EvictionPolicy {
    /**
     * Join again under the same node id as a new, higher incarnation (the default). The cluster has already seen
     * "node down" for the old incarnation, so state tied to it is gone; the application sees the eviction event first.
     */
    REJOIN,
    /** Stop heartbeating and polling, as if {@link Clusterix#dispose()} had been called. */
    STOP
}
