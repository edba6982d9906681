package io.clusterix;

import java.util.Objects;

/**
 * A change of the cluster's membership, as every member receives it (see {@link Clusterix#onMembershipChanged}): news
 * for everyone, where a {@link NodeDownEvent} is a duty for one handler.
 *
 * @param type   what changed
 * @param member the member it concerns, as it is after the change (for {@link Type#LEFT} and {@link Type#TIMED_OUT}:
 *               as it was)
 * @param view   the view after this change
 * @param resync true when this node could not read the changes it missed (the history was trimmed, or Redis lost
 *               it) and replaced its view from a snapshot: the event is one of the differences between its old view
 *               and the snapshot, and {@link #view()} is the snapshot's view, the same for every event of the resync
 */
public record MembershipEvent(Type type, Member member, MembershipView view, boolean resync) {

    /** What changed. */
    public enum Type {
        /** A member joined (or, in a resync, appeared). */
        JOINED,
        /** A member changed its metadata. */
        UPDATED,
        /** A member left on purpose with {@link Clusterix#close()}. */
        LEFT,
        /** A member was declared dead: no heartbeat for longer than {@code timeout} (or, in a resync, disappeared). */
        TIMED_OUT
    }

    /** @throws NullPointerException if a component is null */
    public MembershipEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(view, "view");
    }

    /** @return {@link #view()}'s version: the number of this change (of the snapshot, for a resync) */
    public long version() {
        return view.version();
    }
}
