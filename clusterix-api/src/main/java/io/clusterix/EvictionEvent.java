package io.clusterix;

import java.util.Objects;

/**
 * This node learned, on its next heartbeat, that it no longer owns its entry in Redis. It stopped heartbeating under
 * the lost incarnation; what it does next is set by {@link Clusterix.Builder#evictionPolicy(EvictionPolicy)}.
 *
 * @param clusterId       the cluster id
 * @param nodeId          this node's id
 * @param lostIncarnation the incarnation this node had
 * @param reason          why the entry was lost
 */
public record EvictionEvent(String clusterId, String nodeId, long lostIncarnation, EvictionReason reason) {

    /**
     * @throws NullPointerException if a component is null
     */
    public EvictionEvent {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(reason, "reason");
    }
}
