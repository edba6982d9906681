package io.clusterix.bench;

import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.MembershipView;
import io.clusterix.spi.MembershipChange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ViewTrackerTest {
    private static final Member A = new Member("node-00000", 1, Map.of());
    private static final Member B = new Member("node-00001", 2, Map.of("zone", "a"));
    private static final Member C = new Member("node-00002", 3, Map.of());

    private static MembershipEvent joined(Member member, MembershipView view) {
        return new MembershipEvent(MembershipEvent.Type.JOINED, member, view, false);
    }

    private static MembershipChange change(long version, Member member, long writtenMillis) {
        return new MembershipChange(version, MembershipEvent.Type.JOINED, member.nodeId(), member.incarnation(),
                writtenMillis, member.metadata());
    }

    @Test
    void theSameObjectIsIdenticalAnEqualCopyIsEqualAnythingElseIsAMismatch() {
        ViewTracker views = new ViewTracker();
        views.start();
        MembershipView shared = new MembershipView(7, List.of(A, B));
        views.written(change(7, B, 1_000));
        views.applied(joined(B, shared), true, 1_100);
        views.applied(joined(B, shared), true, 1_200);
        views.applied(joined(B, new MembershipView(7, List.of(B, A))), true, 1_300);
        views.applied(joined(B, new MembershipView(7, List.of(A, new Member("node-00001", 2, Map.of())))), true,
                1_400);
        ViewTracker.Summary summary = views.summarize(0, 2_000, version -> 4);
        assertEquals(1, summary.versions());
        assertEquals(1, summary.checked());
        assertEquals(4, summary.applies());
        assertEquals(2, summary.identical());
        assertEquals(1, summary.equal());
        assertEquals(1, summary.mismatched());
        assertEquals(1, summary.mismatchedVersions());
        assertEquals(7, summary.firstMismatch());
        assertEquals(0, summary.incomplete());
    }

    @Test
    void propagationRunsFromTheServerWriteToTheLastMembersListener() {
        ViewTracker views = new ViewTracker();
        views.start();
        for (int v = 1; v <= 100; v++) {
            MembershipView view = new MembershipView(v, List.of(A));
            views.written(change(v, A, 10_000L * v));
            // A later reply with the same change does not move its write time.
            views.written(change(v, A, 10_000L * v + 5_000));
            views.applied(joined(A, view), true, 10_000L * v + 3);
            views.applied(joined(A, view), true, 10_000L * v + v);
            views.applied(joined(A, view), true, 10_000L * v + 1);
        }
        ViewTracker.Summary summary = views.summarize(0, Long.MAX_VALUE, version -> 3);
        assertEquals(100, summary.versions());
        assertEquals(50.0, summary.p50Ms());
        assertEquals(99.0, summary.p99Ms());
        assertEquals(100.0, summary.maxMs());
        assertEquals(300, summary.events());
    }

    @Test
    void onlyVersionsWrittenInTheWindowCountAndNothingBeforeTheStart() {
        ViewTracker views = new ViewTracker();
        views.written(change(1, A, 500));
        views.applied(joined(A, new MembershipView(1, List.of(A))), true, 600);
        views.start();
        views.written(change(2, B, 900));
        views.written(change(3, C, 1_500));
        views.written(change(4, C, 2_500));
        views.applied(joined(B, new MembershipView(2, List.of(A, B))), true, 1_000);
        views.applied(joined(C, new MembershipView(3, List.of(A, B, C))), true, 1_600);
        ViewTracker.Summary summary = views.summarize(1_000, 2_000, version -> 1);
        assertEquals(1, summary.versions());
        assertEquals(100.0, summary.maxMs());
        assertEquals(2, summary.events());
        assertEquals(4, views.maxVersion());
    }

    @Test
    void aVersionFewerSurvivorsGotThanHadJoinedIsIncomplete() {
        ViewTracker views = new ViewTracker();
        views.start();
        MembershipView five = new MembershipView(5, List.of(A, B));
        MembershipView six = new MembershipView(6, List.of(A, B, C));
        views.written(change(5, B, 100));
        views.written(change(6, C, 200));
        views.applied(joined(B, five), true, 150);
        views.applied(joined(B, five), false, 150); // a victim's: does not count for the survivors
        views.applied(joined(C, six), true, 250);
        views.applied(joined(C, six), true, 260);
        // Two survivors had joined before version 5, one more (C's predecessor in the run) before 6.
        ViewTracker.Summary summary = views.summarize(0, 1_000, version -> version == 5 ? 2 : 2);
        assertEquals(2, summary.checked());
        assertEquals(1, summary.incomplete());
        ViewTracker.Summary resynced = summary;
        assertEquals(0, resynced.resyncEvents());
    }

    @Test
    void resyncEventsAreCountedAndCheckedUnderTheSnapshotsVersion() {
        ViewTracker views = new ViewTracker();
        views.start();
        MembershipView snapshot = new MembershipView(9, List.of(A, B));
        views.written(change(9, B, 100));
        views.applied(joined(B, new MembershipView(9, List.of(A, B))), true, 150);
        views.applied(new MembershipEvent(MembershipEvent.Type.JOINED, B, snapshot, true), true, 900);
        ViewTracker.Summary summary = views.summarize(0, 1_000, version -> 2);
        assertEquals(1, summary.resyncEvents());
        assertEquals(1, summary.equal());
        assertEquals(0, summary.mismatched());
        assertEquals(800.0, summary.maxMs());
    }
}
