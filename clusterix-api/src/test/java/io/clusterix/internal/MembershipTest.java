package io.clusterix.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The membership state machine's transitions and runs. */
class MembershipTest {

    @Test
    void aRejoinIsARunOfItsOwnAndTheEvictedRunRecognisesItselfAsStale() {
        Membership membership = new Membership();
        long joining = membership.move(Membership.Phase.JOINING);
        membership.joined(7, "e");
        assertTrue(membership.is(joining, Membership.Phase.MEMBER), "the join's run goes on as the member run");
        assertEquals(7, membership.incarnation());

        long rejoining = membership.move(Membership.Phase.REJOINING);

        assertFalse(membership.is(joining, Membership.Phase.MEMBER));
        assertEquals(0, membership.incarnation());
        membership.joined(9, "e");
        assertTrue(membership.is(rejoining, Membership.Phase.MEMBER));
    }

    @Test
    void onlyTheMachinesTransitionsAreAccepted() {
        Membership membership = new Membership();
        assertThrows(IllegalStateException.class, () -> membership.move(Membership.Phase.MEMBER));
        membership.move(Membership.Phase.CLOSED);
        for (Membership.Phase next : Membership.Phase.values()) {
            assertThrows(IllegalStateException.class, () -> membership.move(next), "CLOSED is final: " + next);
        }
    }
}
