package io.clusterix;

import java.util.Map;
import java.util.Objects;

/**
 * A member of a cluster as every member's {@link MembershipView} holds it: its id, its incarnation (also the fencing
 * token of its membership, and its age: a lower incarnation joined earlier) and its metadata.
 *
 * @param nodeId      the node id
 * @param incarnation the incarnation of this membership
 * @param metadata    what the member published with {@link Clusterix.Builder#metadata(Map)} or
 *                    {@link Clusterix#updateMetadata(Map)}; unmodifiable
 */
public record Member(String nodeId, long incarnation, Map<String, String> metadata) {

    /** @throws NullPointerException if a component is null */
    public Member {
        Objects.requireNonNull(nodeId, "nodeId");
        metadata = Map.copyOf(metadata);
    }
}
