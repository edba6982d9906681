package io.clusterix.spi;

import io.clusterix.Member;
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

    /**
     * Applies this change to members by id, as every member's view applies it: a JOINED adds the member (replacing an
     * earlier incarnation of the id); an UPDATED replaces the metadata of that incarnation; a LEFT or TIMED_OUT
     * removes that incarnation. A change about another incarnation than the one held changes nothing.
     *
     * @param members the members by id, changed in place
     * @return the member the change concerns, as it is after the change (for LEFT and TIMED_OUT: as it was)
     */
    public Member applyTo(Map<String, Member> members) {
        Member held = members.get(nodeId);
        boolean same = held != null && held.incarnation() == incarnation;
        switch (type) {
            case JOINED: {
                Member joined = new Member(nodeId, incarnation, metadata);
                members.put(nodeId, joined);
                return joined;
            }
            case UPDATED: {
                Member updated = new Member(nodeId, incarnation, metadata);
                if (same) {
                    members.put(nodeId, updated);
                }
                return updated;
            }
            default:
                if (same) {
                    members.remove(nodeId);
                    return held;
                }
                return new Member(nodeId, incarnation, Map.of());
        }
    }
}
