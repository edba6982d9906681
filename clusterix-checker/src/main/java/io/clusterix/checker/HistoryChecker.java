package io.clusterix.checker;

import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.checker.History.Call;
import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.Handler;
import io.clusterix.checker.History.NodeEvent;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.History.Op;
import io.clusterix.checker.History.RedisKind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a {@link History} against every {@link Invariant} and reports each violation with the events involved.
 * Reads the history only; knows nothing of the engine's internals beyond what the SPI promises.
 */
public final class HistoryChecker {
    /**
     * Slack wherever a local time is compared with a server time: Redis runs on the same host and the history's
     * clock map is good to a couple of milliseconds.
     */
    public static final long CLOCK_SLACK_MILLIS = 10;
    /** How long after a delivery the eviction listener must have been called ({@link Invariant#TOLD_DEAD}). */
    static final long EVICTION_WAIT_MILLIS = 2_000;

    private static final Set<String> WRITES = Set.of("OK", "RESTORED");
    private static final Set<String> JOINED = Set.of("JOINED", "TAKEN_OVER");
    private static final Set<String> NOT_MEMBER = Set.of("DECLARED_DEAD", "TAKEN_OVER");

    private final History history;
    private final long timeout;
    /** A death in a call's real reply. */
    private record Claim(Call call, NodeDownEvent event, long at) {
    }

    private final List<Claim> claims = new ArrayList<>();
    private final Map<Long, List<Claim>> claimsOf = new HashMap<>();
    private final Map<Long, List<Call>> joinsOf = new HashMap<>();
    private final Map<Integer, List<Call>> callsOf = new HashMap<>();
    private final Map<Integer, List<NodeEvent>> eventsOf = new HashMap<>();
    private final List<Long> redisKills = new ArrayList<>();

    /** @param history the history to check */
    public HistoryChecker(History history) {
        this.history = history;
        this.timeout = history.timing().timeoutMillis();
        for (Call call : history.calls()) {
            callsOf.computeIfAbsent(call.life(), k -> new ArrayList<>()).add(call);
            if (call.reply() == null) {
                continue;
            }
            if (call.op() == Op.JOIN && JOINED.contains(call.reply().status())) {
                joinsOf.computeIfAbsent(call.reply().incarnation(), k -> new ArrayList<>()).add(call);
            }
            long at = call.reply().serverTime() >= 0 ? call.reply().serverTime() : history.serverMillis(call.replied());
            for (NodeDownEvent event : call.reply().claimed()) {
                Claim claim = new Claim(call, event, at);
                claims.add(claim);
                claimsOf.computeIfAbsent(event.incarnation(), k -> new ArrayList<>()).add(claim);
            }
        }
        claims.sort(Comparator.comparingLong(Claim::at));
        claimsOf.values().forEach(list -> list.sort(Comparator.comparingLong(Claim::at)));
        for (NodeEvent event : history.nodeEvents()) {
            eventsOf.computeIfAbsent(event.life(), k -> new ArrayList<>()).add(event);
        }
        for (History.RedisEvent event : history.redisEvents()) {
            if (event.kind() == RedisKind.KILLED) {
                redisKills.add(history.serverMillis(event.at()));
            }
        }
    }

    /** @return every violation, by invariant */
    public List<Violation> check() {
        List<Violation> out = new ArrayList<>();
        noEarlyReport(out);
        handled(out);
        oneHandlerAtATime(out);
        incarnationsIncrease(out);
        toldDead(out);
        claimContract(out);
        claimedAgainOnlyWhenLost(out);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (1)

    private void noEarlyReport(List<Violation> out) {
        for (Claim claim : claims) {
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
                            + time(claim.at()) + " but no leave of it reached the server before",
                            List.of(describe(claim))));
                }
                continue;
            }
            Long last = lastWrite(dead, claim.at());
            if (last == null) {
                boolean unknown = !joinsOf.containsKey(dead) && redisKills.stream().anyMatch(k -> k <= claim.at());
                if (!unknown) {
                    out.add(new Violation(Invariant.NO_EARLY_REPORT, "incarnation " + dead + " was reported TIMED_OUT"
                            + " at " + time(claim.at()) + " but nothing recorded ever wrote it",
                            List.of(describe(claim))));
                }
                continue;
            }
            if (claim.at() - last <= timeout) {
                List<String> events = new ArrayList<>();
                events.add(describe(claim));
                writesOf(dead).stream().filter(c -> c.reply() != null && c.reply().serverTime() == last).findFirst()
                        .ifPresent(c -> events.add("last write: " + describe(c)));
                out.add(new Violation(Invariant.NO_EARLY_REPORT, "incarnation " + dead + " was reported TIMED_OUT at "
                        + time(claim.at()) + ", " + (claim.at() - last) + " ms after its last write at " + time(last)
                        + " (timeout " + timeout + " ms)", events));
            }
        }
    }

    /** The calls that wrote incarnation {@code dead}: its join, its accepted heartbeats. */
    private List<Call> writesOf(long dead) {
        List<Call> writes = new ArrayList<>(joinsOf.getOrDefault(dead, List.of()));
        for (Call call : history.calls()) {
            if (call.op() == Op.HEARTBEAT && call.incarnation() == dead && call.reply() != null
                    && WRITES.contains(call.reply().status())) {
                writes.add(call);
            }
        }
        return writes;
    }

    /** The latest write of {@code dead} at or before {@code at}; null if none. */
    private Long lastWrite(long dead, long at) {
        Long last = null;
        for (Call write : writesOf(dead)) {
            long t = write.reply().serverTime();
            if (t <= at && (last == null || t > last)) {
                last = t;
            }
        }
        return last;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (2)

    /**
     * @param history a history
     * @return the incarnations that ended and have no handler that ran to its end (see {@link Invariant#HANDLED}),
     *         each with what ended it
     */
    public static Map<Long, String> unhandled(History history) {
        return new HistoryChecker(history).unhandled();
    }

    private Map<Long, String> unhandled() {
        Map<Long, String> ended = new TreeMap<>();
        Set<Integer> gone = new LinkedHashSet<>();
        for (NodeEvent event : history.nodeEvents()) {
            if (event.kind() == NodeKind.KILLED || event.kind() == NodeKind.CLOSED) {
                gone.add(event.life());
            }
            if (event.kind() == NodeKind.EVICTED) {
                ended.putIfAbsent(event.incarnation(), event.node() + " (life " + event.life() + ") was evicted");
            }
        }
        for (Call call : history.calls()) {
            if (call.reply() == null) {
                continue;
            }
            for (NodeDownEvent dead : call.reply().claimed()) {
                if (dead.incarnation() != 0) {
                    ended.putIfAbsent(dead.incarnation(), dead.nodeId() + " was claimed dead (" + dead.reason() + ")");
                }
            }
            if (call.op() == Op.JOIN && JOINED.contains(call.reply().status())) {
                long incarnation = call.reply().incarnation();
                if (gone.contains(call.life())) {
                    ended.putIfAbsent(incarnation, call.node() + " (life " + call.life() + ") was killed or closed");
                } else if (call.fate() == Fate.LATE || call.fate() == Fate.DROPPED
                        || call.fate() == Fate.DISCARDED) {
                    ended.putIfAbsent(incarnation, call.node() + " (life " + call.life() + ") never got the reply of"
                            + " the join that handed it out (" + call.fate() + ")");
                }
            }
        }
        for (Handler handler : history.handlers()) {
            if (handler.completed() && beforeHandedOutAgain(handler)) {
                ended.remove(handler.event().incarnation());
            }
        }
        return ended;
    }

    /**
     * @return true unless the handler returned only after its death had been claimed again by another life: then it
     *         had lost the claim, and the claimer that got the death next must handle it (a life that claims its own
     *         lapsed claim again still holds the death)
     */
    private boolean beforeHandedOutAgain(Handler handler) {
        Claim claim = claimOf(handler);
        if (claim == null) {
            return true;
        }
        long end = history.serverMillis(handler.ended()) - CLOCK_SLACK_MILLIS;
        Claim latest = null;
        for (Claim next : claimsOf.getOrDefault(handler.event().incarnation(), List.of())) {
            if (next.at() > claim.at() && next.at() <= end) {
                latest = next;
            }
        }
        return latest == null || latest.call().life() == handler.life();
    }

    private void handled(List<Violation> out) {
        for (Map.Entry<Long, String> missing : unhandled(history).entrySet()) {
            long dead = missing.getKey();
            List<String> events = new ArrayList<>();
            for (Call join : joinsOf.getOrDefault(dead, List.of())) {
                events.add("join: " + describe(join));
            }
            for (Claim claim : claimsOf.getOrDefault(dead, List.of())) {
                events.add(describe(claim));
            }
            for (Handler handler : history.handlers()) {
                if (handler.event().incarnation() == dead) {
                    events.add(describe(handler));
                }
            }
            out.add(new Violation(Invariant.HANDLED, "the death of incarnation " + dead + " (" + missing.getValue()
                    + ") was never handled to completion by a claimer that still held it", events));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (3)

    private void oneHandlerAtATime(List<Violation> out) {
        Map<Long, List<Handler>> byDeath = new LinkedHashMap<>();
        for (Handler handler : history.handlers()) {
            byDeath.computeIfAbsent(handler.event().incarnation(), k -> new ArrayList<>()).add(handler);
        }
        for (List<Handler> handlers : byDeath.values()) {
            for (Handler first : handlers) {
                Claim firstClaim = claimOf(first);
                for (Handler second : handlers) {
                    Claim secondClaim = claimOf(second);
                    if (first == second || firstClaim == null || secondClaim == null
                            || firstClaim.at() >= secondClaim.at() || !overlap(first, second)) {
                        continue;
                    }
                    String notLive = notLive(first.life(), firstClaim, secondClaim.at());
                    if (notLive == null) {
                        List<String> events = new ArrayList<>(List.of(describe(firstClaim), describe(first),
                                describe(secondClaim), describe(second)));
                        events.addAll(lifeEvents(first.life()));
                        out.add(new Violation(Invariant.ONE_HANDLER_AT_A_TIME, "incarnation "
                                + first.event().incarnation() + " (" + first.event().nodeId() + ") was handled by "
                                + first.node() + " (life " + first.life() + ", claimed at " + time(firstClaim.at())
                                + ") and by " + second.node() + " (life " + second.life() + ", claimed again at "
                                + time(secondClaim.at()) + ") at the same time, while the first claimer was live",
                                events));
                    }
                }
            }
        }
    }

    /** The delivered reply that gave a handler its event; null if none (a bug of the recording). */
    private Claim claimOf(Handler handler) {
        Claim found = null;
        for (Call call : callsOf.getOrDefault(handler.life(), List.of())) {
            if (call.reply() == null || call.fate() != Fate.DELIVERED || call.delivered() > handler.started()) {
                continue;
            }
            for (NodeDownEvent event : call.reply().claimed()) {
                if (event.incarnation() == handler.event().incarnation()
                        && event.delivery() == handler.event().delivery()) {
                    long at = call.reply().serverTime() >= 0 ? call.reply().serverTime()
                            : history.serverMillis(call.replied());
                    found = new Claim(call, event, at);
                }
            }
        }
        return found;
    }

    private static boolean overlap(Handler a, Handler b) {
        long aEnd = a.ended() >= 0 ? a.ended() : Long.MAX_VALUE;
        long bEnd = b.ended() >= 0 ? b.ended() : Long.MAX_VALUE;
        return a.started() - bEnd < 0 && b.started() - aEnd < 0;
    }

    /**
     * @return why the claimer (its life) was not live at {@code s2}, or null if it was. A pause counts if it ended
     *         after the claiming call was sent (local times, exact: a paused life sends nothing) and began before
     *         {@code s2}.
     */
    private String notLive(int life, Claim claim, long s2) {
        long sent = claim.call().sent();
        Long pausedAt = null;
        for (NodeEvent event : eventsOf.getOrDefault(life, List.of())) {
            long at = history.serverMillis(event.at());
            switch (event.kind()) {
                case PAUSED:
                    pausedAt = event.at();
                    break;
                case RESUMED:
                    if (pausedAt != null && event.at() - sent > 0
                            && history.serverMillis(pausedAt) - CLOCK_SLACK_MILLIS <= s2) {
                        return "paused at " + local(pausedAt);
                    }
                    pausedAt = null;
                    break;
                case KILLED:
                case CLOSING:
                case CLOSED:
                    if (at - CLOCK_SLACK_MILLIS <= s2) {
                        return event.kind() + " at " + time(at);
                    }
                    break;
                default:
                    break;
            }
        }
        if (pausedAt != null && history.serverMillis(pausedAt) - CLOCK_SLACK_MILLIS <= s2) {
            return "paused at " + local(pausedAt);
        }
        // The engine counts handlerTimeout from the first claim of a death that this node received while still
        // handling it (HeldClaims.claimed keeps the first start when the node claims the same death again): counting
        // from this life's earliest delivered claim of it can only say "overran" more often.
        long since = claim.call().delivered();
        for (Claim earlier : claimsOf.getOrDefault(claim.event().incarnation(), List.of())) {
            if (earlier.call().life() == life && earlier.call().fate() == Fate.DELIVERED
                    && earlier.call().delivered() - since < 0) {
                since = earlier.call().delivered();
            }
        }
        long ran = s2 - history.serverMillis(since) + CLOCK_SLACK_MILLIS;
        if (ran >= history.timing().handlerTimeoutMillis()) {
            return "it had held the death for " + ran + " ms (handlerTimeout)";
        }
        long s1 = claim.at();
        TreeSet<Long> times = new TreeSet<>(List.of(s1, s2));
        for (Call call : callsOf.getOrDefault(life, List.of())) {
            if (call.reply() != null && call.reply().serverTime() > s1 && call.reply().serverTime() < s2) {
                times.add(call.reply().serverTime());
            }
        }
        Long previous = null;
        for (long t : times) {
            if (previous != null && t - previous > timeout) {
                return "no call of it reached the server from " + time(previous) + " to " + time(t);
            }
            previous = t;
        }
        return null;
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
                        + " was handed out twice", List.of(describe(twin), describe(join))));
            }
            if (join.reply().serverTime() != ms) {
                ms = join.reply().serverTime();
                highestBefore = highestSoFar;
            }
            if (highestBefore != null && incarnation <= highestBefore.reply().incarnation()) {
                out.add(new Violation(Invariant.INCARNATIONS_INCREASE, "incarnation " + incarnation + " handed out at "
                        + time(ms) + " is not greater than " + highestBefore.reply().incarnation() + ", handed out"
                        + " earlier", List.of(describe(highestBefore), describe(join))));
            }
            if (highestSoFar == null || incarnation > highestSoFar.reply().incarnation()) {
                highestSoFar = join;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (5)

    private void toldDead(List<Violation> out) {
        for (Map.Entry<Long, List<Claim>> entry : claimsOf.entrySet()) {
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
                                + " dead at " + time(first.at()) + ", was answered " + call.reply().status(),
                                List.of(describe(first), describe(call))));
                    }
                    if (call.fate() == Fate.DELIVERED && (told == null || call.delivered() < told.delivered())) {
                        told = call;
                    }
                }
                if (call.op() == Op.LEAVE && "LEFT".equals(call.reply().status())
                        && history.serverMillis(call.sent()) - CLOCK_SLACK_MILLIS > first.at()) {
                    out.add(new Violation(Invariant.TOLD_DEAD, "a leave of incarnation " + dead + ", claimed dead at "
                            + time(first.at()) + ", was answered LEFT", List.of(describe(first), describe(call))));
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
        for (NodeEvent event : eventsOf.getOrDefault(told.life(), List.of())) {
            if (event.kind() == NodeKind.EVICTED && event.incarnation() == dead) {
                evicted = true;
            }
            if ((event.kind() == NodeKind.KILLED || event.kind() == NodeKind.CLOSING
                    || event.kind() == NodeKind.CLOSED) && event.at() - told.delivered() < wait) {
                ended = true;
            }
        }
        if (!evicted && !ended) {
            List<String> events = new ArrayList<>(List.of(describe(first), describe(told)));
            events.addAll(lifeEvents(told.life()));
            out.add(new Violation(Invariant.TOLD_DEAD, told.node() + " (life " + told.life() + ") got the "
                    + told.reply().status() + " reply for incarnation " + dead + " at "
                    + time(history.serverMillis(told.delivered())) + " but its eviction listener was never called",
                    events));
        }
        for (Call call : callsOf.getOrDefault(told.life(), List.of())) {
            if (call.op() == Op.HEARTBEAT && call.incarnation() == dead && call.called() - told.delivered() > 0) {
                out.add(new Violation(Invariant.TOLD_DEAD, told.node() + " (life " + told.life() + ") heartbeated"
                        + " again as incarnation " + dead + " after it was told it is dead",
                        List.of(describe(first), describe(told), describe(call))));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (6)

    private void claimContract(List<Violation> out) {
        Map<String, Claim> seen = new HashMap<>();
        Map<Long, Claim> latest = new HashMap<>();
        for (Claim claim : claims) {
            Call call = claim.call();
            if (call.op() == Op.HEARTBEAT && !WRITES.contains(call.reply().status())) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "a heartbeat answered " + call.reply().status()
                        + " (not a member) claimed the death of incarnation " + claim.event().incarnation(),
                        List.of(describe(claim))));
            }
            if (claim.event().incarnation() == 0) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "a claimed entry of " + claim.event().nodeId()
                        + " had no owner", List.of(describe(claim))));
                continue;
            }
            String key = claim.event().incarnation() + "#" + claim.event().delivery();
            Claim twin = seen.putIfAbsent(key, claim);
            if (twin != null) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "delivery " + claim.event().delivery() + " of"
                        + " incarnation " + claim.event().incarnation() + " was claimed twice",
                        List.of(describe(twin), describe(claim))));
            }
            Claim before = latest.put(claim.event().incarnation(), claim);
            if (before != null && before.at() < claim.at() && before.event().delivery() > claim.event().delivery()) {
                out.add(new Violation(Invariant.CLAIM_CONTRACT, "incarnation " + claim.event().incarnation()
                        + " was claimed with delivery " + claim.event().delivery() + " after delivery "
                        + before.event().delivery(), List.of(describe(before), describe(claim))));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (7)

    private void claimedAgainOnlyWhenLost(List<Violation> out) {
        for (List<Claim> ofOne : claimsOf.values()) {
            Claim previous = null;
            for (Claim claim : ofOne) {
                if (claim.event().incarnation() == 0) {
                    continue;
                }
                if (previous != null && previous.call().fate() == Fate.DELIVERED && previous.at() < claim.at()) {
                    String notLive = notLive(previous.call().life(), previous, claim.at());
                    if (notLive == null) {
                        List<String> events = new ArrayList<>(List.of(describe(previous), describe(claim)));
                        for (Handler handler : history.handlers()) {
                            if (handler.life() == previous.call().life()
                                    && handler.event().equals(previous.event())) {
                                events.add(describe(handler));
                            }
                        }
                        events.addAll(lifeEvents(previous.call().life()));
                        out.add(new Violation(Invariant.CLAIMED_AGAIN_ONLY_WHEN_LOST, "incarnation "
                                + claim.event().incarnation() + " (" + claim.event().nodeId() + ") was claimed again"
                                + " at " + time(claim.at()) + " although its claimer " + previous.call().node()
                                + " (life " + previous.call().life() + ", claimed at " + time(previous.at())
                                + ") got the claim and stayed live", events));
                    }
                }
                previous = claim;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reports

    private List<String> lifeEvents(int life) {
        List<String> lines = new ArrayList<>();
        for (NodeEvent event : eventsOf.getOrDefault(life, List.of())) {
            lines.add(describe(event));
        }
        return lines;
    }

    /** @return a server time relative to the run's start, e.g. {@code +12.345s} */
    String time(long serverMillis) {
        return String.format("+%.3fs", (serverMillis - history.serverStart()) / 1000.0);
    }

    private String local(long nanos) {
        return nanos < 0 ? "-" : time(history.serverMillis(nanos));
    }

    private String describe(Claim claim) {
        return "claim of " + event(claim.event()) + " at " + time(claim.at()) + " by " + describe(claim.call());
    }

    private static String event(NodeDownEvent event) {
        return event.nodeId() + " incarnation " + event.incarnation() + " (" + event.reason() + ", delivery "
                + event.delivery() + ")";
    }

    /**
     * @param call a call
     * @return one line: who, what, when, and what became of it
     */
    String describe(Call call) {
        StringBuilder out = new StringBuilder("call#" + call.seq() + " " + call.node() + "/life" + call.life() + " "
                + call.op());
        if (call.incarnation() != 0) {
            out.append(" inc=").append(call.incarnation());
        }
        if (!call.handling().isEmpty()) {
            out.append(" handling=").append(call.handling());
        }
        if (!call.handled().isEmpty()) {
            out.append(" handled=").append(call.handled());
        }
        if (call.reapLimit() > 0) {
            out.append(" poll");
        }
        out.append(" called ").append(local(call.called())).append(" sent ").append(local(call.sent()));
        if (call.reply() != null) {
            out.append(" -> ").append(call.reply().status());
            if (call.reply().incarnation() != 0) {
                out.append(" ").append(call.reply().incarnation());
            }
            if (call.reply().serverTime() >= 0) {
                out.append(" at ").append(time(call.reply().serverTime()));
            }
            if (!call.reply().claimed().isEmpty()) {
                out.append(" claimed ").append(call.reply().claimed().stream().map(HistoryChecker::event)
                        .collect(Collectors.joining(", ", "[", "]")));
            }
        } else if (call.error() != null) {
            out.append(" -> failed: ").append(call.error());
        }
        out.append(", ").append(call.fate());
        if (call.delivered() >= 0) {
            out.append(" ").append(local(call.delivered()));
        } else if (call.replied() >= 0) {
            out.append(" (replied ").append(local(call.replied())).append(")");
        }
        return out.toString();
    }

    /**
     * @param handler a handler
     * @return one line: where, of what, from when to when, how it ended
     */
    String describe(Handler handler) {
        return "handler#" + handler.seq() + " on " + handler.node() + "/life" + handler.life() + " of "
                + event(handler.event()) + ": " + local(handler.started()) + " to " + (handler.ended() < 0
                ? "(still running)" : local(handler.ended()) + (handler.completed() ? " completed"
                : " stopped, its node gone"));
    }

    /**
     * @param event a node event
     * @return one line
     */
    String describe(NodeEvent event) {
        return event.node() + "/life" + event.life() + " " + event.kind() + " " + local(event.at())
                + (event.incarnation() != 0 ? " incarnation " + event.incarnation() : "")
                + (event.detail().isEmpty() ? "" : " (" + event.detail() + ")");
    }
}
