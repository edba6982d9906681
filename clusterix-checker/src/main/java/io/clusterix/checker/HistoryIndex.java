package io.clusterix.checker;

import io.clusterix.NodeDownEvent;
import io.clusterix.checker.History.Call;
import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.Handler;
import io.clusterix.checker.History.NodeEvent;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.History.Op;
import io.clusterix.checker.History.RedisKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.clusterix.checker.HistoryChecker.CLOCK_SLACK_MILLIS;

/**
 * An index of one {@link History} and the questions the invariants ask of it, in the words {@link Invariant}
 * defines: the claims of each incarnation, its joins and writes, the calls and events of each life, the handler a
 * claim started, whether a claimer was still live, and which deaths were never handled. Built once, read only.
 */
final class HistoryIndex {
    /** The heartbeat replies that write the caller's entry: it is a member. */
    static final Set<String> WRITES = Set.of("OK", "RESTORED");
    /** The join replies that hand out an incarnation. */
    static final Set<String> JOINED = Set.of("JOINED", "TAKEN_OVER");

    private final History history;
    private final long timeout;
    private final HistoryDescriber describer;
    private final List<Claim> claims = new ArrayList<>();
    private final Map<Long, List<Claim>> claimsOf = new HashMap<>();
    private final Map<Long, List<Call>> joinsOf = new HashMap<>();
    private final Map<Integer, List<Call>> callsOf = new HashMap<>();
    private final Map<Integer, List<NodeEvent>> eventsOf = new HashMap<>();
    private final List<Long> redisKills = new ArrayList<>();

    /** @param history the history to index */
    HistoryIndex(History history) {
        this.history = history;
        this.timeout = history.timing().timeoutMillis();
        this.describer = new HistoryDescriber(history);
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

    /** @return the indexed history */
    History history() {
        return history;
    }

    /** @return every claim, by server time */
    List<Claim> claims() {
        return Collections.unmodifiableList(claims);
    }

    /** @return the claims of each incarnation (0 for an entry without an owner), each list by server time */
    Map<Long, List<Claim>> claimsByIncarnation() {
        return Collections.unmodifiableMap(claimsOf);
    }

    /** @return the claims of {@code incarnation}, by server time */
    List<Claim> claimsOf(long incarnation) {
        return Collections.unmodifiableList(claimsOf.getOrDefault(incarnation, List.of()));
    }

    /** @return the joins that handed out {@code incarnation} (more than one is a violation of (4)) */
    List<Call> joinsOf(long incarnation) {
        return Collections.unmodifiableList(joinsOf.getOrDefault(incarnation, List.of()));
    }

    /** @return the calls of one life, in order */
    List<Call> callsOf(int life) {
        return Collections.unmodifiableList(callsOf.getOrDefault(life, List.of()));
    }

    /** @return the node events of one life, in order */
    List<NodeEvent> eventsOf(int life) {
        return Collections.unmodifiableList(eventsOf.getOrDefault(life, List.of()));
    }

    /** @return true if Redis was killed at or before server time {@code serverMillis} */
    boolean redisKilledBy(long serverMillis) {
        return redisKills.stream().anyMatch(k -> k <= serverMillis);
    }

    /** The calls that wrote incarnation {@code dead}: its join, its accepted heartbeats. */
    List<Call> writesOf(long dead) {
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
    Long lastWrite(long dead, long at) {
        Long last = null;
        for (Call write : writesOf(dead)) {
            long t = write.reply().serverTime();
            if (t <= at && (last == null || t > last)) {
                last = t;
            }
        }
        return last;
    }

    /**
     * @return the incarnations that ended and have no handler that ran to its end (see {@link Invariant#HANDLED}),
     *         each with what ended it
     */
    Map<Long, String> unhandled() {
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

    /** The delivered reply that gave a handler its event; null if none (a bug of the recording). */
    Claim claimOf(Handler handler) {
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

    /**
     * @return why the claimer (its life) was not live at {@code s2}, or null if it was. A pause counts if it ended
     *         after the claiming call was sent (local times, exact: a paused life sends nothing) and began before
     *         {@code s2}.
     */
    String notLive(int life, Claim claim, long s2) {
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
                        return "paused at " + describer.local(pausedAt);
                    }
                    pausedAt = null;
                    break;
                case KILLED:
                case CLOSING:
                case CLOSED:
                    if (at - CLOCK_SLACK_MILLIS <= s2) {
                        return event.kind() + " at " + describer.time(at);
                    }
                    break;
                default:
                    break;
            }
        }
        if (pausedAt != null && history.serverMillis(pausedAt) - CLOCK_SLACK_MILLIS <= s2) {
            return "paused at " + describer.local(pausedAt);
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
                return "no call of it reached the server from " + describer.time(previous) + " to "
                        + describer.time(t);
            }
            previous = t;
        }
        return null;
    }
}
