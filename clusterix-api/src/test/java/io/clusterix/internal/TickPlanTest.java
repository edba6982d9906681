package io.clusterix.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tick plan's pure decisions. */
class TickPlanTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void fireTimesRoundUpToTheCoalescingGridAndAStalledEngineDoesNotCatchUpInABurst() {
        assertEquals(20 * MS, TickPlan.coalesce(11 * MS, 10 * MS));
        assertEquals(20 * MS, TickPlan.coalesce(20 * MS, 10 * MS));
        assertEquals(13 * MS, TickPlan.coalesce(13 * MS, 0));
        assertEquals(1_000 * MS, TickPlan.advance(500 * MS, 500 * MS, 510 * MS));
        assertEquals(5_500 * MS, TickPlan.advance(500 * MS, 500 * MS, 5_000 * MS), "one period from now");
    }

    @Test
    void aPollDueWithinHalfAHeartbeatIntervalRidesInTheHeartbeat() {
        TickPlan plan = new TickPlan(500 * MS, 700 * MS, 0);
        plan.start(0);

        assertEquals(TickPlan.Due.NOTHING, plan.take(100 * MS));
        assertEquals(TickPlan.Due.HEARTBEAT_AND_POLL, plan.take(500 * MS), "the poll at 700 ms is due within 250 ms");
        assertEquals(TickPlan.Due.HEARTBEAT, plan.take(1_000 * MS), "the next poll is at 1,200 ms + 500: not yet");
    }

    @Test
    void aDeadlinePollIsNeverMovedEarlierButFiresOnItsOwn() {
        TickPlan plan = new TickPlan(500 * MS, 500 * MS, 0);
        plan.start(0);
        plan.watchDeadline(730 * MS);
        assertEquals(TickPlan.Due.HEARTBEAT_AND_POLL, plan.take(500 * MS));
        // The regular poll consumed the deadline: the store tells the watcher its next one with the reply.
        assertEquals(1_000 * MS, plan.fireAt());

        plan.watchDeadline(1_230 * MS);
        assertEquals(TickPlan.Due.HEARTBEAT_AND_POLL, plan.take(1_000 * MS));
        plan.watchDeadline(1_230 * MS);
        assertEquals(1_230 * MS, plan.fireAt());
        assertEquals(TickPlan.Due.HEARTBEAT_AND_POLL, plan.take(1_230 * MS));
    }

    @Test
    void anExtraCallGoesOutAtOnceAndLeavesTheCadenceWhereItWas() {
        TickPlan plan = new TickPlan(500 * MS, 500 * MS, 0);
        plan.start(0);
        assertEquals(TickPlan.Due.HEARTBEAT_AND_POLL, plan.take(500 * MS));

        plan.extraCall(620 * MS, false);

        assertEquals(620 * MS, plan.fireAt());
        assertEquals(TickPlan.Due.HEARTBEAT, plan.take(620 * MS));
        assertEquals(1_000 * MS, plan.fireAt(), "the next regular call is where it was");
        assertEquals(TickPlan.Due.HEARTBEAT_AND_POLL, plan.take(1_000 * MS), "and its poll still rides with it");
    }
}
