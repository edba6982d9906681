package io.clusterix.internal;

import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.spi.JoinResult;
import io.clusterix.spi.MembershipChange;
import io.clusterix.spi.ViewUpdate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a view moves: changes once each, in order; a gap asks for a snapshot; a snapshot's differences are a resync. */
class MembershipViewsTest {
    private final MembershipViews views = new MembershipViews("a", new Object());

    private static JoinResult joinedAt(long version, Member... members) {
        return new JoinResult(JoinResult.Outcome.JOINED, 0, "e", members[0].incarnation(), 0, Optional.empty(),
                version, List.of(members));
    }

    private static ViewUpdate changes(MembershipChange... changes) {
        return new ViewUpdate(ViewUpdate.Kind.CHANGES, changes[changes.length - 1].version(), List.of(changes),
                List.of());
    }

    private static MembershipChange change(long version, MembershipEvent.Type type, String id, long incarnation) {
        return new MembershipChange(version, type, id, incarnation, 0, Map.of());
    }

    @Test
    void changesApplyOnceEachInOrderAndAGapAsksForASnapshot() {
        assertEquals(List.of(), views.joined(joinedAt(10, new Member("a", 5, Map.of()))), "a first join: no events");

        List<MembershipEvent> events = views.apply(changes(change(10, MembershipEvent.Type.JOINED, "a", 5),
                change(11, MembershipEvent.Type.JOINED, "b", 6), change(12, MembershipEvent.Type.LEFT, "b", 6)));

        assertEquals(List.of(11L, 12L), events.stream().map(MembershipEvent::version).toList(),
                "version 10 was applied already (the join's own): never a version twice");
        assertEquals(12, views.knownVersion());
        assertEquals(List.of(), views.apply(changes(change(14, MembershipEvent.Type.JOINED, "c", 7))));
        assertEquals(0, views.knownVersion(), "after a gap, the next heartbeat asks for a snapshot");
    }

    @Test
    void enginesThatFollowTheSameHistoryShareTheirViews() {
        Object cluster = new Object();
        MembershipViews first = new MembershipViews("a", cluster);
        MembershipViews second = new MembershipViews("b", cluster);
        MembershipViews diverged = new MembershipViews("c", cluster);
        first.joined(joinedAt(10, new Member("a", 5, Map.of()), new Member("b", 6, Map.of())));
        second.joined(joinedAt(10, new Member("b", 6, Map.of()), new Member("a", 5, Map.of())));
        diverged.joined(joinedAt(10, new Member("a", 5, Map.of("other", "metadata")), new Member("b", 6, Map.of())));
        assertEquals(first.digest(), second.digest(), "equal members, equal digests");
        assertSame(first.view(), second.view(), "a join's snapshot equal to a view held at its version takes it");
        assertNotEquals(first.view(), diverged.view());

        first.apply(changes(change(11, MembershipEvent.Type.JOINED, "c", 7)));
        second.apply(changes(change(11, MembershipEvent.Type.JOINED, "c", 7)));
        diverged.apply(changes(change(11, MembershipEvent.Type.JOINED, "c", 7)));

        assertSame(first.view(), second.view(), "the second engine took the first one's step");
        assertNotEquals(first.view(), diverged.view(), "a view that differed before the change is not replaced");
        assertNotEquals(first.digest(), diverged.digest());
        MembershipViews fresh = new MembershipViews("d", cluster);
        fresh.joined(joinedAt(11, new Member("a", 5, Map.of()), new Member("b", 6, Map.of()),
                new Member("c", 7, Map.of())));
        assertEquals(first.digest(), fresh.digest(), "the digest after a change equals the one of a snapshot");
        assertSame(first.view(), fresh.view(), "and the view is the one the other engines hold");

        MembershipViews joiner = new MembershipViews("e", cluster);
        joiner.joined(joinedAt(12, new Member("a", 5, Map.of()), new Member("b", 6, Map.of()),
                new Member("c", 7, Map.of()), new Member("e", 8, Map.of())));
        List<MembershipEvent> events = first.apply(changes(change(12, MembershipEvent.Type.JOINED, "e", 8)));
        assertSame(joiner.view(), first.view(), "a change that no engine applied before takes the view a join built");
        assertSame(first.view(), events.get(0).view(), "and its event carries that view");
    }

    @Test
    void aSnapshotReplacesTheViewAndItsDifferencesAreAResyncCarryingTheSnapshotsView() {
        views.joined(joinedAt(10, new Member("a", 5, Map.of()), new Member("b", 6, Map.of("v", "1")),
                new Member("c", 7, Map.of())));

        List<MembershipEvent> resync = views.apply(new ViewUpdate(ViewUpdate.Kind.SNAPSHOT, 99, List.of(),
                List.of(new Member("a", 5, Map.of()), new Member("b", 6, Map.of("v", "2")),
                        new Member("d", 8, Map.of()))));

        assertEquals(List.of("UPDATED b", "JOINED d", "TIMED_OUT c"), resync.stream()
                .map(e -> e.type() + " " + e.member().nodeId()).toList());
        assertTrue(resync.stream().allMatch(e -> e.resync() && e.view().equals(views.view())
                && e.version() == 99));
    }

    @Test
    void aRejoinAfterAnEvictionRebuildsTheViewAndReportsTheDifferences() {
        views.joined(joinedAt(10, new Member("a", 5, Map.of()), new Member("b", 6, Map.of())));
        views.stopped();

        List<MembershipEvent> rebuilt = views.joined(joinedAt(20, new Member("b", 6, Map.of()),
                new Member("a", 9, Map.of())));

        assertEquals(List.of("TIMED_OUT a 5", "JOINED a 9"), rebuilt.stream()
                .map(e -> e.type() + " " + e.member().nodeId() + " " + e.member().incarnation()).toList());
        assertEquals("b", views.view().leader().orElseThrow().nodeId(), "b is older now");
    }
}
