package io.clusterix.spi;

import io.clusterix.MembershipEvent;

import java.util.Map;
import java.util.Objects;

/**
 * One numbered change of a cluster's membership history, as a store returns it to a member that had not applied it.
 *
 * @param version          its number: consecutive within one history
 * @param type             what changed
 * @param nodeId           the member it concerns
 * @param incarnation      that member's incarnation
 * @param serverTimeMillis Redis server time (ms) at which it was written
 * @param metadata         for {@link MembershipEvent.Type#JOINED} and {@link MembershipEvent.Type#UPDATED}: the
 *                         member's metadata from this change on; else empty
 */
public record MembershipChange(long version, MembershipEvent.Type type, String nodeId, long incarnation,
                               long serverTimeMillis, Map<String, String> metadata) {

    /** @throws NullPointerException if a component is null */
    public MembershipChange {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nodeId, "nodeId");
        metadata = Map.copyOf(metadata);
    }
}
