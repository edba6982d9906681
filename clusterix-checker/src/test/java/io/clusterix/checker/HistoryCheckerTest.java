package io.clusterix.checker;

import io.clusterix.NodeDownEvent;
import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.History.Op;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.clusterix.NodeDownReason.LEFT;
import static io.clusterix.NodeDownReason.TIMED_OUT;
import static io.clusterix.checker.HistoryBuilder.down;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The checker on hand-made histories: none of its invariants fires on a correct one, and each fires on a history that
 * breaks it (and only the invariants that history breaks fire).
 */
class HistoryCheckerTest {
    private static final NodeDownEvent N1_DOWN = down("n1", 100, TIMED_OUT, 1);
    private static final NodeDownEvent N3_LEFT = down("n3", 300, LEFT, 1);

    /**
     * A correct history: n1 (incarnation 100) heartbeats until 1000 ms and crashes; n2 (200) claims it at 1710 ms
     * (710 ms after its last heartbeat, timeout 600) and handles it; n3 (300) leaves at 1960 ms and n2 handles that
     * too; n4 (400) joins at 1500 ms. n2 and n4 are members at the end.
     */
    private static HistoryBuilder correct() {
        return new HistoryBuilder()
                .join("n1", 1, 0, 100).beats("n1", 1, 100, 100, 1000).event("n1", 1, NodeKind.KILLED, 1050, 0)
                .join("n2", 2, 10, 200).beats("n2", 2, 200, 110, 1610)
                .heartbeat("n2", 2, 200, 1710, "OK", List.of(N1_DOWN))
                .handler("n2", 2, N1_DOWN, 1711, 1712, true)
                .heartbeat("n2", 2, 200, 1810, "OK", List.of(), Set.of(), Set.of(100L), Fate.DELIVERED)
                .beats("n2", 2, 200, 1910, 1910)
                .heartbeat("n2", 2, 200, 2010, "OK", List.of(N3_LEFT))
                .handler("n2", 2, N3_LEFT, 2011, 2012, true)
                .beats("n2", 2, 200, 2110, 3010)
                .join("n3", 3, 20, 300).beats("n3", 3, 300, 120, 1920).event("n3", 3, NodeKind.CLOSING, 1950, 0)
                .leave("n3", 3, 300, 1960, true).event("n3", 3, NodeKind.CLOSED, 1970, 0)
                .join("n4", 4, 1500, 400).beats("n4", 4, 400, 1600, 3000)
                .live(200, 400).end(3100);
    }

    private static Set<Invariant> violated(HistoryBuilder history) {
        List<Violation> violations = new HistoryChecker(history.build()).check();
        violations.forEach(v -> System.out.println(v));
        return violations.stream().map(Violation::invariant)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Invariant.class)));
    }

    @Test
    void aCorrectHistoryViolatesNothing() {
        assertEquals(Set.of(), violated(correct()));
    }

    @Test
    void noEarlyReportFlagsAClaimWithinTimeoutOfTheLastHeartbeat() {
        // n1 heartbeated until 1300 ms: 410 ms before the claim.
        assertEquals(Set.of(Invariant.NO_EARLY_REPORT), violated(correct().beats("n1", 1, 100, 1100, 1300)));
    }

    @Test
    void noEarlyReportCountsAHeartbeatWhoseReplyWasDropped() {
        assertEquals(Set.of(Invariant.NO_EARLY_REPORT), violated(correct()
                .heartbeat("n1", 1, 100, 1200, "OK", List.of(), Set.of(), Set.of(), Fate.DROPPED)));
    }

    @Test
    void noEarlyReportFlagsALeftReportWithoutALeave() {
        assertEquals(Set.of(Invariant.NO_EARLY_REPORT), violated(correct().removeCalls(c -> c.op() == Op.LEAVE)));
    }

    @Test
    void handledFlagsADeathWhoseOnlyHandlerWasStopped() {
        assertEquals(Set.of(Invariant.HANDLED), violated(correct()
                .removeHandlers(h -> h.event().equals(N1_DOWN)).handler("n2", 2, N1_DOWN, 1711, 1900, false)));
    }

    @Test
    void handledFlagsACrashNobodyClaimed() {
        // n4 crashes at 3000 ms and no one ever handles it.
        assertEquals(Set.of(Invariant.HANDLED), violated(correct().event("n4", 4, NodeKind.KILLED, 3000, 0)));
    }

    @Test
    void aSecondDeliveryAfterTheFirstClaimerDiedInItsHandlerIsCorrect() {
        // n2 crashes at 1800 ms in its handler of n1; n4 claims n3's leave, n1's death again once
        // n2's claim lapsed, and n2's death.
        NodeDownEvent again = down("n1", 100, TIMED_OUT, 2);
        NodeDownEvent n3Left = down("n3", 300, LEFT, 1);
        NodeDownEvent n2Down = down("n2", 200, TIMED_OUT, 1);
        assertEquals(Set.of(), violated(correct()
                .removeHandlers(h -> h.node().equals("n2")).handler("n2", 2, N1_DOWN, 1711, 1800, false)
                .removeCalls(c -> c.node().equals("n2") && c.reply().serverTime() > 1710)
                .event("n2", 2, NodeKind.KILLED, 1800, 0)
                .removeCalls(c -> c.node().equals("n4") && (c.reply().serverTime() == 2000
                        || c.reply().serverTime() == 2400))
                .heartbeat("n4", 4, 400, 2000, "OK", List.of(n3Left)).handler("n4", 4, n3Left, 2001, 2002, true)
                .heartbeat("n4", 4, 400, 2400, "OK", List.of(again)).handler("n4", 4, again, 2401, 2402, true)
                .removeCalls(c -> c.node().equals("n4") && c.reply().serverTime() == 2500)
                .heartbeat("n4", 4, 400, 2500, "OK", List.of(n2Down)).handler("n4", 4, n2Down, 2501, 2502, true)
                .live(400)));
    }

    @Test
    void aSecondDeliveryAfterTheFirstClaimsReplyWasDroppedIsCorrect() {
        NodeDownEvent again = down("n1", 100, TIMED_OUT, 2);
        assertEquals(Set.of(), violated(correct()
                .removeCalls(c -> c.node().equals("n2") && c.reply().serverTime() == 1710)
                .heartbeat("n2", 2, 200, 1710, "OK", List.of(N1_DOWN), Set.of(), Set.of(), Fate.DROPPED)
                .removeHandlers(h -> h.event().equals(N1_DOWN))
                .heartbeat("n4", 4, 400, 2350, "OK", List.of(again)).handler("n4", 4, again, 2351, 2352, true)));
    }

    @Test
    void claimedAgainOnlyWhenLostFlagsARedeliveryAfterALiveClaimerCompleted() {
        // n2 handled n1's death and stayed live; n4 gets it again at 2400 ms (as when a claim cannot be released).
        NodeDownEvent again = down("n1", 100, TIMED_OUT, 2);
        assertEquals(Set.of(Invariant.CLAIMED_AGAIN_ONLY_WHEN_LOST), violated(correct()
                .heartbeat("n4", 4, 400, 2400, "OK", List.of(again)).handler("n4", 4, again, 2401, 2402, true)));
    }

    /** n2 handles n1's death from 1711 to 2600 ms and renews it every 100 ms; n4 claims it again at 2400 ms. */
    private static HistoryBuilder handledTwice() {
        NodeDownEvent again = down("n1", 100, TIMED_OUT, 2);
        return correct().removeHandlers(h -> h.event().equals(N1_DOWN)).handler("n2", 2, N1_DOWN, 1711, 2600, true)
                .heartbeat("n4", 4, 400, 2400, "OK", List.of(again)).handler("n4", 4, again, 2401, 2402, true);
    }

    @Test
    void oneHandlerAtATimeFlagsASecondClaimWhileTheFirstClaimerIsLive() {
        // (7) too: the second claim was needless.
        assertEquals(Set.of(Invariant.ONE_HANDLER_AT_A_TIME, Invariant.CLAIMED_AGAIN_ONLY_WHEN_LOST),
                violated(handledTwice()));
    }

    @Test
    void handledFlagsADeathWhoseOnlyCompletedHandlerHadLostItsClaim() {
        // n2 paused in its handler; n4 got the death and never finished; n2's handler returned after that (race A).
        assertEquals(Set.of(Invariant.HANDLED), violated(handledTwice().event("n2", 2, NodeKind.PAUSED, 1900, 0)
                .event("n2", 2, NodeKind.RESUMED, 2500, 0)
                .removeHandlers(h -> h.node().equals("n4")).handler("n4", 4, down("n1", 100, TIMED_OUT, 2), 2401,
                        2900, false)));
    }

    @Test
    void handledCountsAHandlerWhoseNodeClaimedTheDeathAgainItself() {
        // n2's claim lapsed in a pause and n2 claimed the death again (delivery 2) before its first handler returned;
        // the first handler then returned (releasing the claim), and n2 crashed before the second one ran.
        NodeDownEvent again = down("n1", 100, TIMED_OUT, 2);
        assertEquals(Set.of(), violated(correct().removeHandlers(h -> h.event().equals(N1_DOWN))
                .handler("n2", 2, N1_DOWN, 1711, 2600, true).event("n2", 2, NodeKind.PAUSED, 1800, 0)
                .event("n2", 2, NodeKind.RESUMED, 2400, 0)
                .heartbeat("n2", 2, 200, 2450, "OK", List.of(again)).handler("n2", 2, again, 2600, 2700, false)
                .event("n2", 2, NodeKind.KILLED, 2700, 0)
                .removeCalls(c -> c.node().equals("n2") && c.reply().serverTime() > 2700)
                .heartbeat("n4", 4, 400, 3350, "OK", List.of(down("n2", 200, TIMED_OUT, 1)))
                .handler("n4", 4, down("n2", 200, TIMED_OUT, 1), 3351, 3352, true).live(400).end(3500)));
    }

    @Test
    void oneHandlerAtATimeAcceptsASecondClaimWhenTheFirstClaimerWasPaused() {
        assertEquals(Set.of(), violated(handledTwice().event("n2", 2, NodeKind.PAUSED, 1900, 0)
                .event("n2", 2, NodeKind.RESUMED, 2500, 0)));
    }

    @Test
    void oneHandlerAtATimeFlagsItAlsoWhenTheFirstClaimerWasPausedJustBeforeItsClaim() {
        // The pause ended before the claiming call went out (a held call, sent when the pause ended).
        assertEquals(Set.of(Invariant.ONE_HANDLER_AT_A_TIME, Invariant.CLAIMED_AGAIN_ONLY_WHEN_LOST),
                violated(handledTwice().event("n2", 2, NodeKind.PAUSED, 1000, 0)
                        .event("n2", 2, NodeKind.RESUMED, 1710, 0)));
    }

    @Test
    void oneHandlerAtATimeAcceptsASecondClaimWhenTheFirstClaimersCallsStoppedReachingTheServer() {
        // No call of n2 ran from 1710 to 2410 ms (its replies were slow, or the machine was): its claim lapsed.
        assertEquals(Set.of(), violated(handledTwice().removeCalls(c -> c.node().equals("n2")
                && c.reply().serverTime() > 1710 && c.reply().serverTime() < 2410)));
    }

    @Test
    void oneHandlerAtATimeAcceptsASecondClaimAfterTheHandlerTimeout() {
        assertEquals(Set.of(), violated(handledTwice().timing(new Timing(100, 100, 600, 650))));
    }

    @Test
    void aClaimerHoldsADeathFromItsFirstClaimOfItWhenItClaimsItAgain() {
        // n2 claims n1's death at 1710 ms (its listener queued until 3400 ms), pauses, claims it again itself at
        // 2500 ms, and loses it to n4 at 3300 ms: 1,590 ms after its first claim, past handlerTimeout (1,500 ms), as
        // the engine counts (it keeps the first claim's start), though only 800 ms after its second claim.
        NodeDownEvent second = down("n1", 100, TIMED_OUT, 2);
        NodeDownEvent third = down("n1", 100, TIMED_OUT, 3);
        assertEquals(Set.of(), violated(correct().timing(new Timing(100, 100, 600, 1_500))
                .removeHandlers(h -> h.event().equals(N1_DOWN)).handler("n2", 2, N1_DOWN, 3400, 3401, true)
                .event("n2", 2, NodeKind.PAUSED, 1800, 0).event("n2", 2, NodeKind.RESUMED, 2400, 0)
                .removeCalls(c -> c.node().equals("n2") && c.reply().serverTime() == 2510)
                .heartbeat("n2", 2, 200, 2500, "OK", List.of(second)).handler("n2", 2, second, 3401, 3402, true)
                .heartbeat("n4", 4, 400, 3300, "OK", List.of(third)).handler("n4", 4, third, 3301, 3302, true)
                .end(3500)));
    }

    @Test
    void incarnationsIncreaseFlagsALowerIncarnationHandedOutLater() {
        assertEquals(Set.of(Invariant.INCARNATIONS_INCREASE), violated(correct().join("n5", 5, 2800, 150)
                .beats("n5", 5, 150, 2900, 3000).live(150)));
    }

    @Test
    void incarnationsIncreaseFlagsAnIncarnationHandedOutTwice() {
        assertEquals(Set.of(Invariant.INCARNATIONS_INCREASE), violated(correct().join("n5", 5, 1500, 400)));
    }

    @Test
    void toldDeadFlagsAHeartbeatAcceptedAfterTheClaim() {
        assertEquals(Set.of(Invariant.TOLD_DEAD), violated(correct().heartbeat("n1", 1, 100, 1800, "OK", List.of(),
                Set.of(), Set.of(), Fate.DROPPED)));
    }

    /** n1 is not killed but stalled: its next heartbeat, at 2000 ms, gets through and is told DECLARED_DEAD. */
    private static HistoryBuilder zombie() {
        return correct().removeEvents(e -> e.node().equals("n1"))
                .heartbeat("n1", 1, 100, 2000, "DECLARED_DEAD", List.of()).end(5_000);
    }

    @Test
    void toldDeadFlagsAToldNodeThatIsNeverEvicted() {
        assertEquals(Set.of(Invariant.TOLD_DEAD), violated(zombie()));
    }

    @Test
    void toldDeadAcceptsAToldNodeThatIsEvicted() {
        assertEquals(Set.of(), violated(zombie().event("n1", 1, NodeKind.EVICTED, 2001, 100)));
    }

    @Test
    void toldDeadFlagsAHeartbeatOfTheDeadIncarnationAfterItWasTold() {
        assertEquals(Set.of(Invariant.TOLD_DEAD), violated(zombie().event("n1", 1, NodeKind.EVICTED, 2001, 100)
                .heartbeat("n1", 1, 100, 2100, "DECLARED_DEAD", List.of(), Set.of(), Set.of(), Fate.DROPPED)));
    }

    @Test
    void claimContractFlagsANonMemberThatClaims() {
        // The zombie's DECLARED_DEAD reply claims n3's leave (instead of n2's poll), and the zombie handles it.
        assertEquals(Set.of(Invariant.CLAIM_CONTRACT), violated(zombie().event("n1", 1, NodeKind.EVICTED, 2001, 100)
                .removeCalls(c -> c.node().equals("n1") && c.reply().serverTime() == 2000)
                .heartbeat("n1", 1, 100, 2000, "DECLARED_DEAD", List.of(N3_LEFT))
                .removeCalls(c -> c.node().equals("n2") && c.reply().serverTime() == 2010)
                .heartbeat("n2", 2, 200, 2010, "OK", List.of())
                .removeHandlers(h -> h.event().equals(N3_LEFT)).handler("n1", 1, N3_LEFT, 2001, 2002, true)));
    }

    @Test
    void claimContractFlagsOneClaimReturnedTwice() {
        // (7) too: n2, which got the first, was live.
        assertEquals(Set.of(Invariant.CLAIM_CONTRACT, Invariant.CLAIMED_AGAIN_ONLY_WHEN_LOST), violated(correct()
                .heartbeat("n4", 4, 400, 1720, "OK", List.of(N1_DOWN), Set.of(), Set.of(), Fate.DROPPED)));
    }
}
