package io.clusterix;

import java.util.Objects;

/**
 * A node left the cluster or was declared dead. One live node of the cluster at a time handles each event: the one
 * whose heartbeat or poll atomically claimed the dead node's entry in Redis.
 *
 * <p>Delivery is at least once: the claim is released only after every {@link Clusterix#onNodeDown} listener of
 * the claiming node has returned (or thrown). While they run, the claimer's heartbeats renew the claim; if the
 * claimer dies first, another node re-claims the death about {@code timeout} later and receives this event again,
 * with a higher {@link #delivery()}. Cleanup code should therefore be idempotent: {@link #idempotencyKey()} names
 * the death uniquely.
 *
 * @param clusterId   the cluster id ({@code ""} for the default cluster)
 * @param nodeId      the node that is down
 * @param incarnation the incarnation of that node that is down (see {@link Clusterix#incarnation()})
 * @param reason      why it is down
 * @param delivery    1 for the first delivery; more when an earlier claimer died before its listeners completed
 */
public record NodeDownEvent(String clusterId, String nodeId, long incarnation, NodeDownReason reason, int delivery) {

    /**
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if delivery is not positive
     */
    public NodeDownEvent {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(reason, "reason");
        if (delivery < 1) {
            throw new IllegalArgumentException("delivery must be at least 1, was " + delivery);
        }
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
