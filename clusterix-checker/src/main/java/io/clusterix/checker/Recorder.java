package io.clusterix.checker;

import io.clusterix.NodeDownEvent;
import io.clusterix.checker.History.Call;
import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.Handler;
import io.clusterix.checker.History.NodeEvent;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.History.Op;
import io.clusterix.checker.History.RedisEvent;
import io.clusterix.checker.History.RedisKind;
import io.clusterix.checker.History.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records a run as it happens, from any thread, and freezes it into a {@link History}. One lock: the recording is
 * cheap beside the calls it records.
 */
final class Recorder {
    private final long startNanos = System.nanoTime();
    /** Fallback for the clock map: the wall clock, which the Redis server on this host reads too. */
    private final long wallOffsetMillis = System.currentTimeMillis() - Math.floorDiv(startNanos, 1_000_000L);
    private final List<CallRecord> calls = new ArrayList<>();
    private final List<HandlerRecord> handlers = new ArrayList<>();
    private final List<NodeEvent> nodeEvents = new ArrayList<>();
    private final List<RedisEvent> redisEvents = new ArrayList<>();

    /** A call whose fields fill in as it goes; guarded by the recorder's lock. */
    static final class CallRecord {
        private final long seq;
        private final String node;
        private final int life;
        private final Op op;
        private final long incarnation;
        private final Set<Long> handled;
        private final Set<Long> handling;
        private final int reapLimit;
        private final long called;
        private long sent = -1;
        private long replied = -1;
        private Reply reply;
        private String error;
        private Fate fate = Fate.PENDING;
        private long delivered = -1;

        private CallRecord(long seq, String node, int life, Op op, long incarnation, Set<Long> handled,
                           Set<Long> handling, int reapLimit, long called) {
            this.seq = seq;
            this.node = node;
            this.life = life;
            this.op = op;
            this.incarnation = incarnation;
            this.handled = handled;
            this.handling = handling;
            this.reapLimit = reapLimit;
            this.called = called;
        }

        Op op() {
            return op;
        }

        private Call freeze() {
            return new Call(seq, node, life, op, incarnation, handled, handling, reapLimit, called, sent, replied,
                    reply, error, fate, delivered);
        }
    }

    /** A handler that may still run; guarded by the recorder's lock. */
    static final class HandlerRecord {
        private final long seq;
        private final String node;
        private final int life;
        private final NodeDownEvent event;
        private final long started;
        private long ended = -1;
        private boolean completed;

        private HandlerRecord(long seq, String node, int life, NodeDownEvent event, long started) {
            this.seq = seq;
            this.node = node;
            this.life = life;
            this.event = event;
            this.started = started;
        }
    }

    synchronized CallRecord call(String node, int life, Op op, long incarnation, Set<Long> handled,
                                 Set<Long> handling, int reapLimit) {
        CallRecord call = new CallRecord(calls.size(), node, life, op, incarnation, Set.copyOf(handled),
                Set.copyOf(handling), reapLimit, System.nanoTime());
        calls.add(call);
        return call;
    }

    synchronized void sent(CallRecord call) {
        call.sent = System.nanoTime();
    }

    synchronized void replied(CallRecord call, Reply reply, Throwable error) {
        call.replied = System.nanoTime();
        call.reply = reply;
        call.error = error == null ? null : error.toString();
    }

    synchronized void fate(CallRecord call, Fate fate) {
        call.fate = fate;
        call.delivered = fate == Fate.DELIVERED ? System.nanoTime() : -1;
    }

    synchronized HandlerRecord handlerStarted(String node, int life, NodeDownEvent event) {
        HandlerRecord handler = new HandlerRecord(handlers.size(), node, life, event, System.nanoTime());
        handlers.add(handler);
        return handler;
    }

    synchronized void handlerEnded(HandlerRecord handler, boolean completed) {
        handler.ended = System.nanoTime();
        handler.completed = completed;
    }

    synchronized void node(String node, int life, NodeKind kind, long incarnation, String detail) {
        nodeEvents.add(new NodeEvent(node, life, kind, System.nanoTime(), incarnation, detail));
    }

    synchronized void redis(RedisKind kind) {
        redisEvents.add(new RedisEvent(kind, System.nanoTime()));
    }

    /**
     * @param timing    the run's intervals
     * @param liveAtEnd the incarnations that are members now
     * @return everything recorded so far, frozen
     */
    synchronized History snapshot(Timing timing, Set<Long> liveAtEnd) {
        List<Call> frozen = new ArrayList<>(calls.size());
        for (CallRecord call : calls) {
            frozen.add(call.freeze());
        }
        List<Handler> runs = new ArrayList<>(handlers.size());
        for (HandlerRecord h : handlers) {
            runs.add(new Handler(h.seq, h.node, h.life, h.event, h.started, h.ended, h.completed));
        }
        return new History(timing, startNanos, System.nanoTime(), clockOffset(frozen), frozen, runs, nodeEvents,
                redisEvents, liveAtEnd);
    }

    /** The median of server time minus the local midpoint of each call answered within 2 ms. */
    private long clockOffset(List<Call> frozen) {
        long[] samples = frozen.stream()
                .filter(c -> c.reply() != null && c.reply().serverTime() >= 0 && c.sent() >= 0
                        && c.replied() - c.sent() < 2_000_000L)
                .mapToLong(c -> c.reply().serverTime() - Math.floorDiv(c.sent() / 2 + c.replied() / 2, 1_000_000L))
                .sorted().toArray();
        return samples.length == 0 ? wallOffsetMillis : samples[samples.length / 2];
    }
}
