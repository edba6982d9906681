package io.clusterix.spi;

import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How one call's view update is shared among the members whose heartbeats it carried. */
class ViewUpdateTest {
    private static MembershipChange joined(long version) {
        return new MembershipChange(version, MembershipEvent.Type.JOINED, "n" + version, version, 0, Map.of());
    }

    private static final List<MembershipChange> CHANGES = List.of(joined(11), joined(12), joined(13));
    private static final List<Member> MEMBERS = List.of(new Member("a", 1, Map.of()));

    private static List<Long> versions(ViewUpdate update) {
        return update.changes().stream().map(MembershipChange::version).collect(Collectors.toList());
    }

    @Test
    void eachMemberTakesTheChangesAfterItsOwnVersion() {
        ViewUpdate call = new ViewUpdate(ViewUpdate.Kind.CHANGES, 13, CHANGES, List.of());
        assertEquals(List.of(11L, 12L, 13L), versions(call.from(10)));
        assertEquals(List.of(13L), versions(call.from(12)));
        assertEquals(ViewUpdate.Kind.CURRENT, call.from(13).kind());
        assertEquals(ViewUpdate.Kind.NONE, call.from(Heartbeat.NO_VIEW).kind());
    }

    @Test
    void aMemberThatKnowsLessThanTheChangesStartFromGetsTheMembersAndOnlyIt() {
        ViewUpdate call = new ViewUpdate(ViewUpdate.Kind.CHANGES, 13, CHANGES, MEMBERS);
        ViewUpdate behind = call.from(3);
        assertEquals(ViewUpdate.Kind.SNAPSHOT, behind.kind());
        assertEquals(MEMBERS, behind.snapshot());
        ViewUpdate close = call.from(11);
        assertEquals(ViewUpdate.Kind.CHANGES, close.kind(), "its call mate's snapshot does not make it resync");
        assertEquals(List.of(12L, 13L), versions(close));
        assertEquals(List.of(), close.snapshot());
    }

    @Test
    void withoutTheMembersAMemberTooFarBehindGetsNothingThisTime() {
        ViewUpdate call = new ViewUpdate(ViewUpdate.Kind.CHANGES, 13, CHANGES, List.of());
        assertEquals(List.of(), versions(call.from(3)), "never a change that does not follow its version");
    }
}
