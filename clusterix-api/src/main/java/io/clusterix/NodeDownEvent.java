package io.clusterix;

import java.util.Objects;

/**
 * A node left the cluster or was declared dead. Exactly one node of the cluster receives each event: the one whose
 * heartbeat or poll atomically removed the node's entry from Redis.
 *
 * @param clusterId   the cluster id ({@code ""} for the default cluster)
 * @param nodeId      the node that is down
 * @param incarnation the incarnation of that node that is down (see {@link Clusterix#incarnation()})
 * @param reason      why it is down
 */
public record NodeDownEvent(String clusterId, String nodeId, long incarnation, Reason reason) {

    /** Why a node is down. */
    public enum Reason {
        /** No heartbeat for longer than {@code timeout}, by Redis server time: crashed, hung or cut off. */
        TIMED_OUT,
        /** The node left on purpose with {@link Clusterix#close()}. */
        LEFT
    }

    /**
     * @throws NullPointerException if a component is null
     */
    public NodeDownEvent {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * A key that identifies this death uniquely, for cleanup code that must be idempotent: {@code nodeId#incarnation}.
     *
     * @return the idempotency key
     */
    public String idempotencyKey() {
        return nodeId + "#" + incarnation;
    }
}
