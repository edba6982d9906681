package io.clusterix.spi;

import io.clusterix.Member;

import java.util.List;
import java.util.Objects;

/**
 * What a member must apply to bring its membership view to {@link #version()}: nothing, the changes it missed (in
 * order, consecutive, starting right after the version it knew; at most a batch, the next heartbeat brings the rest),
 * or, when the store cannot give those (trimmed from the history, or lost with data Redis lost), a snapshot of the
 * members to replace its view with.
 *
 * @param kind     which of these
 * @param version  the store's current version (for {@link Kind#CHANGES}: possibly beyond the last change returned)
 * @param changes  for {@link Kind#CHANGES}: the changes, oldest first; else empty
 * @param snapshot for {@link Kind#SNAPSHOT}: every member at {@code version}; else empty
 */
public record ViewUpdate(Kind kind, long version, List<MembershipChange> changes, List<Member> snapshot) {

    /** What the update holds. */
    public enum Kind {
        /** The caller keeps no view ({@link Heartbeat#NO_VIEW}). */
        NONE,
        /** The caller's view is current. */
        CURRENT,
        /** The changes after the caller's version. */
        CHANGES,
        /** Every member: the caller's version cannot be caught up with changes. */
        SNAPSHOT
    }

    /** No view asked for. */
    public static final ViewUpdate NONE = new ViewUpdate(Kind.NONE, 0, List.of(), List.of());

    /** @throws NullPointerException if a component is null */
    public ViewUpdate {
        Objects.requireNonNull(kind, "kind");
        changes = List.copyOf(changes);
        snapshot = List.copyOf(snapshot);
    }
}
