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
 * @param snapshot for {@link Kind#SNAPSHOT}: every member at {@code version}; else empty, except in the update of a
 *                 store call that carried several members' heartbeats ({@link #from} gives each its part): the
 *                 members, for those of them that know less than the first change's predecessor
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

    /**
     * The part of this update that a member needs: one store call may carry the heartbeats of several members of a
     * cluster, at different versions, and bring back one update for all of them.
     *
     * @param known the version the member knows, or {@link Heartbeat#NO_VIEW}
     * @return nothing for a member that keeps no view, current for one at {@link #version()}, the changes after
     *         {@code known}, or this snapshot
     */
    ViewUpdate from(long known) {
        if (known < 0 || kind == Kind.NONE) {
            return NONE;
        }
        if (known == version) {
            return kind == Kind.CURRENT ? this : new ViewUpdate(Kind.CURRENT, version, List.of(), List.of());
        }
        if (kind != Kind.CHANGES) {
            return this;
        }
        if (!changes.isEmpty() && known >= changes.get(0).version() - 1) {
            int first = 0;
            while (first < changes.size() && changes.get(first).version() <= known) {
                first++;
            }
            return first == 0 && snapshot.isEmpty() ? this
                    : new ViewUpdate(Kind.CHANGES, version, changes.subList(first, changes.size()), List.of());
        }
        // Knows less than the changes start from: the members, if the call brought them; else nothing this time.
        return snapshot.isEmpty() ? new ViewUpdate(Kind.CHANGES, version, List.of(), List.of())
                : new ViewUpdate(Kind.SNAPSHOT, version, List.of(), snapshot);
    }
}
