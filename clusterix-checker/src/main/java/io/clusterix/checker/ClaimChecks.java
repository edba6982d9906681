package io.clusterix.checker;

import io.clusterix.checker.History.Call;
import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.Handler;
import io.clusterix.checker.History.Op;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.clusterix.checker.HistoryIndex.WRITES;

/**
 * The {@link HistoryChecker}'s checks of the invariants on claims: who may hold a death and handle it, and when it
 * may be handed out again ({@link Invariant#ONE_HANDLER_AT_A_TIME} (3), {@link Invariant#CLAIM_CONTRACT} (6),
 * {@link Invariant#CLAIMED_AGAIN_ONLY_WHEN_LOST} (7)).
 */
final class ClaimChecks {
    private final History history;
    private final HistoryIndex index;
    private final HistoryDescriber describer;

    /**
     * @param index     the index of the history to check
     * @param describer writes the events a violation shows
     */
    ClaimChecks(HistoryIndex index, HistoryDescriber describer) {
        this.history = index.history();
        this.index = index;
        this.describer = describer;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (3)

    /** Adds the violations of {@link Invariant#ONE_HANDLER_AT_A_TIME} to {@code out}. */
    void oneHandlerAtATime(List<Violation> out) {
        Map<Long, List<Handler>> byDeath = new LinkedHashMap<>();
        for (Handler handler : history.handlers()) {
            byDeath.computeIfAbsent(handler.event().incarnation(), k -> new ArrayList<>()).add(handler);
        }
        for (List<Handler> handlers : byDeath.values()) {
            for (Handler first : handlers) {
                Claim firstClaim = index.claimOf(first);
                for (Handler second : handlers) {
                    Claim secondClaim = index.claimOf(second);
                    if (first == second || firstClaim == null || secondClaim == null
                            || firstClaim.at() >= secondClaim.at() || !overlap(first, second)) {
                        continue;
                    }
                    String notLive = index.notLive(first.life(), firstClaim, secondClaim.at());
                    if (notLive == null) {
                        List<String> events = new ArrayList<>(List.of(describer.describe(firstClaim),
                                describer.describe(first), describer.describe(secondClaim),
                                describer.describe(second)));
                        events.addAll(describer.describeAll(index.eventsOf(first.life())));
                        out.add(new Violation(Invariant.ONE_HANDLER_AT_A_TIME, "incarnation "
                                + first.event().incarnation() + " (" + first.event().nodeId() + ") was handled by "
                                + first.node() + " (life " + first.life() + ", claimed at "
                                + describer.time(firstClaim.at()) + ") and by " + second.node() + " (life "
                                + second.life() + ", claimed again at " + describer.time(secondClaim.at())
                                + ") at the same time, while the first claimer was live", events));
                    }
                }
            }
        }
    }

    private static boolean overlap(Handler a, Handler b) {
        long aEnd = a.ended() >= 0 ? a.ended() : Long.MAX_VALUE;
        long bEnd = b.ended() >= 0 ? b.ended() : Long.MAX_VALUE;
        return a.started() - bEnd < 0 && b.started() - aEnd < 0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (6)

    /** Adds the violations of {@link Invariant#CLAIM_CONTRACT} to {@code out}. */
    void claimContract(List<Violation> out) {
        Map<String, Claim> seen = new HashMap<>();
        Map<Long, Claim> latest = new HashMap<>();
        for (Claim claim : index.claims()) {
            Call call = claim.call();
            if (call.op() == Op.HEARTBEAT && !WRITES.contains(call.reply().status())) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "a heartbeat answered " + call.reply().status()
                        + " (not a member) claimed the death of incarnation " + claim.event().incarnation(),
                        List.of(describer.describe(claim))));
            }
            if (claim.event().incarnation() == 0) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "a claimed entry of " + claim.event().nodeId()
                        + " had no owner", List.of(describer.describe(claim))));
                continue;
            }
            String key = claim.event().incarnation() + "#" + claim.event().delivery();
            Claim twin = seen.putIfAbsent(key, claim);
            if (twin != null) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "delivery " + claim.event().delivery() + " of"
                        + " incarnation " + claim.event().incarnation() + " was claimed twice",
                        List.of(describer.describe(twin), describer.describe(claim))));
            }
            Claim before = latest.put(claim.event().incarnation(), claim);
            if (before != null && before.at() < claim.at() && before.event().delivery() > claim.event().delivery()) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "incarnation " + claim.event().incarnation()
                        + " was claimed with delivery " + claim.event().delivery() + " after delivery "
                        + before.event().delivery(), List.of(describer.describe(before), describer.describe(claim))));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (7)

    /** Adds the violations of {@link Invariant#CLAIMED_AGAIN_ONLY_WHEN_LOST} to {@code out}. */
    void claimedAgainOnlyWhenLost(List<Violation> out) {
        for (List<Claim> ofOne : index.claimsByIncarnation().values()) {
            Claim previous = null;
            for (Claim claim : ofOne) {
                if (claim.event().incarnation() == 0) {
                    continue;
                }
                if (previous != null && previous.call().fate() == Fate.DELIVERED && previous.at() < claim.at()) {
                    String notLive = index.notLive(previous.call().life(), previous, claim.at());
                    if (notLive == null) {
                        List<String> events = new ArrayList<>(List.of(describer.describe(previous),
                                describer.describe(claim)));
                        for (Handler handler : history.handlers()) {
                            if (handler.life() == previous.call().life()
                                    && handler.event().equals(previous.event())) {
                                events.add(describer.describe(handler));
                            }
                        }
                        events.addAll(describer.describeAll(index.eventsOf(previous.call().life())));
                        out.add(new Violation(Invariant.CLAIMED_AGAIN_ONLY_WHEN_LOST, "incarnation "
                                + claim.event().incarnation() + " (" + claim.event().nodeId() + ") was claimed again"
                                + " at " + describer.time(claim.at()) + " although its claimer "
                                + previous.call().node() + " (life " + previous.call().life() + ", claimed at "
                                + describer.time(previous.at()) + ") got the claim and stayed live", events));
                    }
                }
                previous = claim;
            }
        }
    }
}
