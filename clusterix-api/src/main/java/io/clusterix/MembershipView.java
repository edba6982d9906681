package io.clusterix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The members of a cluster as one node knows them, after it applied the change numbered {@link #version()}. Every
 * member applies the same numbered history in the same order, so two members' views of the same version are equal:
 * same members, incarnations and metadata, and therefore the same {@link #leader()}. Immutable.
 *
 * <p>Like Hazelcast's member list (with its version) and JGroups' {@code View} (with its {@code ViewId}), the leader
 * (Hazelcast's master, JGroups' coordinator) is the oldest member: the one with the lowest incarnation. It changes
 * only when it leaves or times out. Its incarnation is the fencing token of its leadership.
 */
public final class MembershipView {
    private static final MembershipView EMPTY = new MembershipView(0, List.of());

    private final long version;
    private final List<Member> members;

    /**
     * @param version the number of the change that made this view
     * @param members the members, in any order (kept oldest first)
     */
    public MembershipView(long version, List<Member> members) {
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingLong(Member::incarnation).thenComparing(Member::nodeId));
        this.version = version;
        this.members = List.copyOf(sorted);
    }

    /** @return the view of a node that is not a member: version 0, no members */
    public static MembershipView empty() {
        return EMPTY;
    }

    /** @return the number of the change that made this view; 0 before this node joined */
    public long version() {
        return version;
    }

    /** @return the members, oldest (lowest incarnation) first; unmodifiable */
    public List<Member> members() {
        return members;
    }

    /** @return the oldest member, or empty if there is none */
    public Optional<Member> leader() {
        return members.isEmpty() ? Optional.empty() : Optional.of(members.get(0));
    }

    /**
     * @param nodeId a node id
     * @return that member, if it is one
     */
    public Optional<Member> member(String nodeId) {
        return members.stream().filter(m -> m.nodeId().equals(nodeId)).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MembershipView other && other.version == version && other.members.equals(members);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) * 31 + members.hashCode();
    }

    @Override
    public String toString() {
        return "MembershipView[version=" + version + ", members=" + members + "]";
    }
}
