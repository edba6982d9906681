package io.clusterix.checker;

import io.clusterix.NodeDownReason;
import io.clusterix.checker.History.Call;
import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.Handler;
import io.clusterix.checker.History.NodeEvent;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.History.Op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.clusterix.checker.HistoryIndex.JOINED;

/**
 * Checks a {@link History} against every {@link Invariant} and reports each violation with the events involved.
 * Reads the history only; knows nothing of the engine's internals beyond what the SPI promises. Checks (1), (2), (4)
 * and (5) itself and leaves the invariants on claims, (3), (6) and (7), to {@link ClaimChecks}; what the checks ask
 * of the history is answered by a {@link HistoryIndex}, and the events a violation shows are written by a
 * {@link HistoryDescriber}.
 */
public final class HistoryChecker {
    /**
     * Slack wherever a local time is compared with a server time: Redis runs on the same host and the history's
     * clock map is good to a couple of milliseconds.
     */
    public static final long CLOCK_SLACK_MILLIS = 10;
    /** How long after a delivery the eviction listener must have been called ({@link Invariant#TOLD_DEAD}). */
    static final long EVICTION_WAIT_MILLIS = 2_000;

    private static final Set<String> NOT_MEMBER = Set.of("DECLARED_DEAD", "TAKEN_OVER");

    private final History history;
    private final long timeout;
    private final HistoryIndex index;
    private final HistoryDescriber describer;
    private final ClaimChecks claimChecks;

    /** @param history the history to check */
    public HistoryChecker(History history) {
        this.history = history;
        this.timeout = history.timing().timeoutMillis();
        this.index = new HistoryIndex(history);
        this.describer = new HistoryDescriber(history);
        this.claimChecks = new ClaimChecks(index, describer);
    }

    /** @return every violation, by invariant */
    public List<Violation> check() {
        List<Violation> out = new ArrayList<>();
        noEarlyReport(out);
        handled(out);
        claimChecks.oneHandlerAtATime(out);
        incarnationsIncrease(out);
        toldDead(out);
        claimChecks.claimContract(out);
        claimChecks.claimedAgainOnlyWhenLost(out);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (1)

    private void noEarlyReport(List<Violation> out) {
        for (Claim claim : index.claims()) {
            long dead = claim.event().incarnation();
            if (dead == 0) {
                continue; // (6)
            }
            if (claim.event().reason() == NodeDownReason.LEFT) {
                boolean left = history.calls().stream().anyMatch(c -> c.op() == Op.LEAVE && c.incarnation() == dead
                        && c.sent() >= 0 && history.serverMillis(c.sent()) - CLOCK_SLACK_MILLIS <= claim.at()
                        && (c.reply() == null || "LEFT".equals(c.reply().status())));
                if (!left) {
                    out.add(new Violation(Invariant.NO_EARLY_REPORT, "incarnation " + dead + " was reported LEFT at "
                            + describer.time(claim.at()) + " but no leave of it reached the server before",
                            List.of(describer.describe(claim))));
                }
                continue;
            }
            Long last = index.lastWrite(dead, claim.at());
            if (last == null) {
                boolean unknown = index.joinsOf(dead).isEmpty() && index.redisKilledBy(claim.at());
                if (!unknown) {
                    out.add(new Violation(Invariant.NO_EARLY_REPORT, "incarnation " + dead + " was reported TIMED_OUT"
                            + " at " + describer.time(claim.at()) + " but nothing recorded ever wrote it",
                            List.of(describer.describe(claim))));
                }
                continue;
            }
            if (claim.at() - last <= timeout) {
                List<String> events = new ArrayList<>();
                events.add(describer.describe(claim));
                index.writesOf(dead).stream().filter(c -> c.reply() != null && c.reply().serverTime() == last)
                        .findFirst().ifPresent(c -> events.add("last write: " + describer.describe(c)));
                out.add(new Violation(Invariant.NO_EARLY_REPORT, "incarnation " + dead + " was reported TIMED_OUT at "
                        + describer.time(claim.at()) + ", " + (claim.at() - last) + " ms after its last write at "
                        + describer.time(last) + " (timeout " + timeout + " ms)", events));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (2)

    /**
     * @param history a history
     * @return the incarnations that ended and have no handler that ran to its end (see {@link Invariant#HANDLED}),
     *         each with what ended it
     */
    public static Map<Long, String> unhandled(History history) {
        return new HistoryIndex(history).unhandled();
    }

    private void handled(List<Violation> out) {
        for (Map.Entry<Long, String> missing : index.unhandled().entrySet()) {
            long dead = missing.getKey();
            List<String> events = new ArrayList<>();
            for (Call join : index.joinsOf(dead)) {
                events.add("join: " + describer.describe(join));
            }
            for (Claim claim : index.claimsOf(dead)) {
                events.add(describer.describe(claim));
            }
            for (Handler handler : history.handlers()) {
                if (handler.event().incarnation() == dead) {
                    events.add(describer.describe(handler));
                }
            }
            out.add(new Violation(Invariant.HANDLED, "the death of incarnation " + dead + " (" + missing.getValue()
                    + ") was never handled to completion by a claimer that still held it", events));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (4)

    private void incarnationsIncrease(List<Violation> out) {
        List<Call> joins = history.calls().stream()
                .filter(c -> c.op() == Op.JOIN && c.reply() != null && JOINED.contains(c.reply().status()))
                .sorted(Comparator.comparingLong((Call c) -> c.reply().serverTime()).thenComparingLong(Call::seq))
                .collect(Collectors.toList());
        Map<Long, Call> seen = new HashMap<>();
        Call highestBefore = null;
        Call highestSoFar = null;
        long ms = Long.MIN_VALUE;
        for (Call join : joins) {
            long incarnation = join.reply().incarnation();
            Call twin = seen.putIfAbsent(incarnation, join);
            if (twin != null) {
                out.add(new Violation(Invariant.INCARNATIONS_INCREASE, "incarnation " + incarnation
                        + " was handed out twice", List.of(describer.describe(twin), describer.describe(join))));
            }
            if (join.reply().serverTime() != ms) {
                ms = join.reply().serverTime();
                highestBefore = highestSoFar;
            }
            if (highestBefore != null && incarnation <= highestBefore.reply().incarnation()) {
                out.add(new Violation(Invariant.INCARNATIONS_INCREASE, "incarnation " + incarnation + " handed out at "
                        + describer.time(ms) + " is not greater than " + highestBefore.reply().incarnation()
                        + ", handed out earlier",
                        List.of(describer.describe(highestBefore), describer.describe(join))));
            }
            if (highestSoFar == null || incarnation > highestSoFar.reply().incarnation()) {
                highestSoFar = join;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (5)

    private void toldDead(List<Violation> out) {
        for (Map.Entry<Long, List<Claim>> entry : index.claimsByIncarnation().entrySet()) {
            long dead = entry.getKey();
            if (dead == 0) {
                continue;
            }
            Claim first = entry.getValue().get(0);
            Call told = null;
            for (Call call : history.calls()) {
                if (call.incarnation() != dead || call.reply() == null) {
                    continue;
                }
                if (call.op() == Op.HEARTBEAT && call.reply().serverTime() > first.at()) {
                    if (!NOT_MEMBER.contains(call.reply().status())) {
                        out.add(new Violation(Invariant.TOLD_DEAD, "a heartbeat of incarnation " + dead + ", claimed"
                                + " dead at " + describer.time(first.at()) + ", was answered " + call.reply().status(),
                                List.of(describer.describe(first), describer.describe(call))));
                    }
                    if (call.fate() == Fate.DELIVERED && (told == null || call.delivered() < told.delivered())) {
                        told = call;
                    }
                }
                if (call.op() == Op.LEAVE && "LEFT".equals(call.reply().status())
                        && history.serverMillis(call.sent()) - CLOCK_SLACK_MILLIS > first.at()) {
                    out.add(new Violation(Invariant.TOLD_DEAD, "a leave of incarnation " + dead + ", claimed dead at "
                            + describer.time(first.at()) + ", was answered LEFT",
                            List.of(describer.describe(first), describer.describe(call))));
                }
            }
            if (told != null) {
                checkEviction(out, first, told);
            }
        }
    }

    private void checkEviction(List<Violation> out, Claim first, Call told) {
        long dead = first.event().incarnation();
        long wait = EVICTION_WAIT_MILLIS * 1_000_000L;
        boolean evicted = false;
        boolean ended = history.endNanos() - told.delivered() < wait;
        for (NodeEvent event : index.eventsOf(told.life())) {
            if (event.kind() == NodeKind.EVICTED && event.incarnation() == dead) {
                evicted = true;
            }
            if ((event.kind() == NodeKind.KILLED || event.kind() == NodeKind.CLOSING
                    || event.kind() == NodeKind.CLOSED) && event.at() - told.delivered() < wait) {
                ended = true;
            }
        }
        if (!evicted && !ended) {
            List<String> events = new ArrayList<>(List.of(describer.describe(first), describer.describe(told)));
            events.addAll(describer.describeAll(index.eventsOf(told.life())));
            out.add(new Violation(Invariant.TOLD_DEAD, told.node() + " (life " + told.life() + ") got the "
                    + told.reply().status() + " reply for incarnation " + dead + " at "
                    + describer.time(history.serverMillis(told.delivered()))
                    + " but its eviction listener was never called", events));
        }
        for (Call call : index.callsOf(told.life())) {
            if (call.op() == Op.HEARTBEAT && call.incarnation() == dead && call.called() - told.delivered() > 0) {
                out.add(new Violation(Invariant.TOLD_DEAD, told.node() + " (life " + told.life() + ") heartbeated"
                        + " again as incarnation " + dead + " after it was told it is dead",
                        List.of(describer.describe(first), describer.describe(told), describer.describe(call))));
            }
        }
    }
}
