package io.clusterix.checker;

import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.checker.History.Call;
import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.Handler;
import io.clusterix.checker.History.NodeEvent;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.History.Op;
import io.clusterix.checker.History.Reply;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Hand-made histories for {@link HistoryCheckerTest}. Times are milliseconds from the start; local and server clocks
 * coincide (offset 0), and every call is sent, run and answered at the same instant unless said otherwise.
 */
final class HistoryBuilder {
    private Timing timing = new Timing(100, 100, 600, 2_000);
    private final List<Call> calls = new ArrayList<>();
    private final List<Handler> handlers = new ArrayList<>();
    private final List<NodeEvent> events = new ArrayList<>();
    private final List<History.RedisEvent> redis = new ArrayList<>();
    private final Set<Long> live = new LinkedHashSet<>();
    private long end = 10_000;

    static long ns(long millis) {
        return millis * 1_000_000L;
    }

    static NodeDownEvent down(String node, long incarnation, NodeDownReason reason, int delivery) {
        return new NodeDownEvent("", node, incarnation, reason, delivery);
    }

    HistoryBuilder timing(Timing value) {
        timing = value;
        return this;
    }

    HistoryBuilder join(String node, int life, long at, long incarnation) {
        return call(node, life, Op.JOIN, 0, at, new Reply(at, "JOINED", incarnation, List.of()), Set.of(), Set.of(),
                Fate.DELIVERED);
    }

    /** Heartbeats answered OK every 100 ms from {@code from} to {@code to}, both included. */
    HistoryBuilder beats(String node, int life, long incarnation, long from, long to) {
        for (long at = from; at <= to; at += 100) {
            heartbeat(node, life, incarnation, at, "OK", List.of());
        }
        return this;
    }

    HistoryBuilder heartbeat(String node, int life, long incarnation, long at, String status,
                             List<NodeDownEvent> claimed) {
        return heartbeat(node, life, incarnation, at, status, claimed, Set.of(), Set.of(), Fate.DELIVERED);
    }

    HistoryBuilder heartbeat(String node, int life, long incarnation, long at, String status,
                             List<NodeDownEvent> claimed, Set<Long> handling, Set<Long> handled, Fate fate) {
        return call(node, life, Op.HEARTBEAT, incarnation, at, new Reply(at, status, 0, claimed), handling, handled,
                fate);
    }

    HistoryBuilder leave(String node, int life, long incarnation, long at, boolean left) {
        return call(node, life, Op.LEAVE, incarnation, at, new Reply(-1, left ? "LEFT" : "GONE", 0, List.of()),
                Set.of(), Set.of(), Fate.DELIVERED);
    }

    HistoryBuilder call(String node, int life, Op op, long incarnation, long at, Reply reply, Set<Long> handling,
                        Set<Long> handled, Fate fate) {
        calls.add(new Call(calls.size(), node, life, op, incarnation, handled, handling,
                op == Op.HEARTBEAT ? 100 : 0, ns(at), ns(at), ns(at), reply, null, fate,
                fate == Fate.DELIVERED ? ns(at) : -1));
        return this;
    }

    HistoryBuilder handler(String node, int life, NodeDownEvent event, long started, long ended, boolean completed) {
        handlers.add(new Handler(handlers.size(), node, life, event, ns(started), ended < 0 ? -1 : ns(ended),
                completed));
        return this;
    }

    HistoryBuilder event(String node, int life, NodeKind kind, long at, long incarnation) {
        events.add(new NodeEvent(node, life, kind, ns(at), incarnation, ""));
        return this;
    }

    HistoryBuilder live(long... incarnations) {
        for (long incarnation : incarnations) {
            live.add(incarnation);
        }
        return this;
    }

    HistoryBuilder removeCalls(Predicate<Call> which) {
        calls.removeIf(which);
        return this;
    }

    HistoryBuilder removeEvents(Predicate<NodeEvent> which) {
        events.removeIf(which);
        return this;
    }

    HistoryBuilder removeHandlers(Predicate<Handler> which) {
        handlers.removeIf(which);
        return this;
    }

    HistoryBuilder end(long at) {
        end = at;
        return this;
    }

    History build() {
        List<Call> ordered = new ArrayList<>(calls);
        ordered.sort((a, b) -> Long.compare(a.called(), b.called()));
        return new History(timing, 0, ns(end), 0, ordered, handlers, events, redis, live);
    }
}
