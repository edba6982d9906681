package io.clusterix.checker;

import io.clusterix.NodeDownEvent;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one run recorded, frozen: every store call of every node with its real reply, every node-down handler, every
 * fault applied to a node or to Redis. The {@link HistoryChecker} reads nothing else.
 *
 * <p>Two clocks appear. Local times ({@code called}, {@code sent}, {@code at}, ...) are {@link System#nanoTime()} of
 * the checker's JVM, -1 where the thing did not happen. Server times ({@link Reply#serverTime()}) are the Redis
 * server's {@code TIME} in milliseconds, read by the script that ran the call: the clock every membership decision
 * uses. Redis runs on the same host, and {@link #clockOffsetMillis()} maps one onto the other (the median of
 * {@code serverTime - midpoint(sent, replied)} over calls answered within 2 ms), to within a few milliseconds.
 *
 * @param timing            the engines' intervals
 * @param startNanos        when the run started (local)
 * @param endNanos          when the history was frozen (local), after the quiet period
 * @param clockOffsetMillis server time minus local time, in ms: {@code server = nanos / 1e6 + offset}
 * @param calls             every store call, in the order the engines made them
 * @param handlers          every node-down handler, in the order they started
 * @param nodeEvents        faults and life events of the nodes, in order
 * @param redisEvents       faults of the Redis server, in order
 * @param liveAtEnd         the incarnations that were members when the history was frozen
 */
public record History(Timing timing, long startNanos, long endNanos, long clockOffsetMillis, List<Call> calls,
                      List<Handler> handlers, List<NodeEvent> nodeEvents, List<RedisEvent> redisEvents,
                      Set<Long> liveAtEnd) {

    /** A store operation. */
    public enum Op {
        /** {@code HeartbeatStore.join}. */
        JOIN,
        /** {@code HeartbeatStore.heartbeat}, with its piggybacked poll, releases and renewals. */
        HEARTBEAT,
        /** {@code HeartbeatStore.leave}. */
        LEAVE,
        /** {@code HeartbeatStore.poll} (the engine does not use it; recorded if called). */
        POLL,
        /** {@code HeartbeatStore.nodes}. */
        NODES,
        /** {@code HeartbeatStore.updateMetadata} (the schedules do not call it; recorded if called). */
        UPDATE
    }

    /** What became of a call's real reply. */
    public enum Fate {
        /** Handed to the engine while it still waited for it. */
        DELIVERED,
        /** Handed to the engine after it had given up on it (its own {@code timeout}): the engine ignored it. */
        LATE,
        /** Withheld by a drop fault: the engine saw a timeout. */
        DROPPED,
        /** The node had been killed or had closed: never handed over (never sent, if it was held by a pause). */
        DISCARDED,
        /** No real reply yet when the history was frozen. */
        PENDING
    }

    /**
     * The real reply of a call, as the store returned it.
     *
     * @param serverTime  the server time (ms) at which the script ran; -1 where the SPI does not return it (leave,
     *                    poll, nodes)
     * @param status      the {@code JoinResult.Outcome} or {@code HeartbeatResult.Status} name; {@code LEFT} or
     *                    {@code GONE} for a leave; {@code POLL}, {@code NODES}
     * @param incarnation for a join: the new incarnation ({@code JOINED}, {@code TAKEN_OVER}) or the live owner's
     *                    ({@code LIVE}); else 0
     * @param claimed     the deaths this call claimed: a heartbeat's {@code dead()}, a poll's result, or the
     *                    predecessor a {@code TAKEN_OVER} join removed
     */
    public record Reply(long serverTime, String status, long incarnation, List<NodeDownEvent> claimed) {
        /** Copies the list. */
        public Reply {
            Objects.requireNonNull(status, "status");
            claimed = List.copyOf(claimed);
        }
    }

    /**
     * One store call.
     *
     * @param seq         its number, in the order the engines made the calls
     * @param node        the node id
     * @param life        the node's life: one {@code Clusterix} instance, a process as far as faults go (a rejoin
     *                    after a crash is a new life under the same id)
     * @param op          the operation
     * @param incarnation the incarnation the call was made for (heartbeat, leave; the claimer of a poll); 0 for a join
     * @param handled     the claims it released ({@code Heartbeat.handled()})
     * @param handling    the claims it renewed ({@code Heartbeat.handling()})
     * @param reapLimit   its poll's limit, 0 for none
     * @param called      when the engine made the call
     * @param sent        when it went to the real store (later than {@code called} while the node was paused); -1 if
     *                    never
     * @param replied     when the real store's reply (or failure) arrived; -1 if not yet
     * @param reply       the real reply, or null (failed, or none yet)
     * @param error       the real store's failure, or null
     * @param fate        what became of the reply
     * @param delivered   when the reply was handed to the engine; -1 if it was not
     */
    public record Call(long seq, String node, int life, Op op, long incarnation, Set<Long> handled,
                       Set<Long> handling, int reapLimit, long called, long sent, long replied, Reply reply,
                       String error, Fate fate, long delivered) {
        /** Copies the sets. */
        public Call {
            handled = Set.copyOf(handled);
            handling = Set.copyOf(handling);
        }

        /** @return true if the server ran this call and its reply is known */
        public boolean answered() {
            return reply != null;
        }
    }

    /**
     * One run of a node's node-down listener.
     *
     * @param seq       its number
     * @param node      the node id
     * @param life      the node's life
     * @param event     the event it was given
     * @param started   when it started
     * @param ended     when it returned; -1 if it still ran when the history was frozen
     * @param completed true if it ran to its end; false if its node was killed or closed first (a crashed process
     *                  runs no more code)
     */
    public record Handler(long seq, String node, int life, NodeDownEvent event, long started, long ended,
                          boolean completed) {
    }

    /** What happened to a node. */
    public enum NodeKind {
        /** A life began: its {@code Clusterix} was built and {@code initializeNode()} called. */
        STARTED,
        /** The life stopped, as a SIGSTOPped process: its calls and replies are held, its listeners make no progress. */
        PAUSED,
        /** The pause ended: held calls are sent and held replies delivered, in order. */
        RESUMED,
        /** Crashed: {@code dispose()}; nothing of it runs any more. */
        KILLED,
        /** {@code close()} began: the graceful leave. */
        CLOSING,
        /** {@code close()} returned; the process is gone, as after a kill. */
        CLOSED,
        /** Its eviction listener was called for {@link NodeEvent#incarnation()}. */
        EVICTED,
        /** A reply or handler fault began (the detail says which, for how long). */
        FAULT
    }

    /**
     * A fault or life event of a node.
     *
     * @param node        the node id
     * @param life        the life
     * @param kind        what happened
     * @param at          when (local)
     * @param incarnation the lost incarnation of an {@link NodeKind#EVICTED} event; else 0
     * @param detail      free text (the eviction reason, a fault's parameters)
     */
    public record NodeEvent(String node, int life, NodeKind kind, long at, long incarnation, String detail) {
    }

    /** What happened to the Redis server. */
    public enum RedisKind {
        /** SIGSTOP. */
        STALLED,
        /** SIGCONT. */
        RESUMED,
        /** SIGKILL (a crash; AOF with fsync on every write, so no acknowledged write is lost). */
        KILLED,
        /** Started again on the same port with its data, and answering PING. */
        RESTARTED
    }

    /**
     * A fault of the Redis server.
     *
     * @param kind what happened
     * @param at   when (local)
     */
    public record RedisEvent(RedisKind kind, long at) {
    }

    /** Copies the lists. */
    public History {
        calls = List.copyOf(calls);
        handlers = List.copyOf(handlers);
        nodeEvents = List.copyOf(nodeEvents);
        redisEvents = List.copyOf(redisEvents);
        liveAtEnd = Set.copyOf(liveAtEnd);
    }

    /**
     * @param nanos a local time
     * @return the server time it corresponds to, in ms
     */
    public long serverMillis(long nanos) {
        return Math.floorDiv(nanos, 1_000_000L) + clockOffsetMillis;
    }

    /** @return the server time of the run's start, ms: reports print times relative to it */
    public long serverStart() {
        return serverMillis(startNanos);
    }
}
