package io.clusterix;

/**
 * This node's view of its own link to the cluster, after Curator's connection states, but exact: the server says
 * which of {@link #RECONNECTED} and {@link #LOST} is true.
 */
public enum ConnectionState {
    /**
     * Heartbeats have failed (errors or no reply) for {@code timeout} since the last successful one: the other nodes
     * may declare this node dead. Stop work that needs membership (e.g. release leases) until the next state.
     */
    SUSPENDED,
    /** The first heartbeat after {@link #SUSPENDED} succeeded: this node is still a member, as the same incarnation. */
    RECONNECTED,
    /**
     * The first heartbeat after {@link #SUSPENDED} found that this node had been declared dead or taken over: an
     * {@link EvictionEvent} follows, then the {@link EvictionPolicy} applies.
     */
    LOST
}
