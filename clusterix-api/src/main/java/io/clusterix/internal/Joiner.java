package io.clusterix.internal;

import io.clusterix.ClusterixException;
import io.clusterix.DuplicateNodeException;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Joins: claims the node id through the store, and tells a live duplicate from a just-crashed predecessor. A join
 * that finds the id live looks again once its owner should have heartbeated (or once the entry must be stale): an
 * advancing heartbeat is a live duplicate ({@link DuplicateNodeException}), an unchanged one a crashed predecessor,
 * whose entry the next attempt takes over.
 */
final class Joiner {
    /** Extra wait before looking again at a live-looking id. */
    private static final long RECHECK_MARGIN_MILLIS = 5;
    /** Longest wait for the reply to one join call, unless {@code timeout} is longer: it may open a connection. */
    private static final long REPLY_LIMIT_MILLIS = 10_000;

    /** What the engine does with the outcome; called on the scheduler. */
    interface Outcome {
        /**
         * @param run a run
         * @return true while that run still joins (not disposed meanwhile)
         */
        boolean joining(long run);

        /**
         * @param run    the run
         * @param reply  the join's result: {@code JOINED} or {@code TAKEN_OVER}
         * @param sentAt when the join went out ({@link Ticker} nanoseconds): the entry it wrote is no older, however
         *               late its reply came, so the first heartbeat is due one interval after it
         */
        void joined(long run, JoinResult reply, long sentAt);

        /**
         * @param run   the run
         * @param error why it failed, with the message the application sees
         */
        void failed(long run, ClusterixException error);
    }

    private final Object lock;
    private final EngineOptions options;
    private final HeartbeatStore store;
    private final EngineScheduler scheduler;
    private final Ticker ticker;
    private final Outcome outcome;
    private final java.util.function.Supplier<java.util.Map<String, String>> metadata;
    /** The recheck of a live-looking id; guarded by lock. */
    private EngineScheduler.Timer recheck = EngineScheduler.Timer.NONE;

    Joiner(Object lock, EngineOptions options, HeartbeatStore store, EngineScheduler scheduler, Ticker ticker,
           Outcome outcome,
           java.util.function.Supplier<java.util.Map<String, String>> metadata) {
        this.lock = lock;
        this.metadata = metadata;
        this.options = options;
        this.store = store;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.outcome = outcome;
    }

    /** @param run the run that joins */
    void start(long run) {
        attempt(run, null);
    }

    /** Cancels a pending recheck; the caller holds the lock and has ended the run. */
    void cancel() {
        recheck.cancel();
        recheck = EngineScheduler.Timer.NONE;
    }

    private long replyLimitMillis() {
        return Math.max(options.timeout().toMillis(), REPLY_LIMIT_MILLIS);
    }

    private void attempt(long run, Long firstSeenHeartbeat) {
        long sentAt = ticker.nanoTime();
        CompletableFuture<JoinResult> call = StoreCalls.call(
                () -> store.join(options.keys(), options.nodeId(), metadata.get(), options.timeout()));
        scheduler.failAfter(call, TimeUnit.MILLISECONDS.toNanos(replyLimitMillis()), TimeoutException::new)
                .whenCompleteAsync((reply, error) -> onReply(run, firstSeenHeartbeat, reply, error, sentAt),
                        scheduler::execute);
    }

    private void onReply(long run, Long firstSeenHeartbeat, JoinResult reply, Throwable error, long sentAt) {
        if (error != null) {
            outcome.failed(run, failure(StoreCalls.unwrap(error)));
            return;
        }
        switch (reply.outcome()) {
            case LIVE:
                if (firstSeenHeartbeat != null && reply.lastHeartbeat() != firstSeenHeartbeat) {
                    outcome.failed(run, new DuplicateNodeException(options.keys(), options.nodeId()));
                    return;
                }
                long untilStale = reply.lastHeartbeat() + options.timeout().toMillis() - reply.serverTimeMillis() + 1;
                long delay = Math.max(1, Math.min(options.heartbeatInterval().toMillis() * 6 / 5, untilStale))
                        + RECHECK_MARGIN_MILLIS;
                long seen = firstSeenHeartbeat != null ? firstSeenHeartbeat : reply.lastHeartbeat();
                synchronized (lock) {
                    if (outcome.joining(run)) {
                        recheck = scheduler.schedule(() -> attempt(run, seen), TimeUnit.MILLISECONDS.toNanos(delay));
                    }
                }
                return;
            case JOINED:
            case TAKEN_OVER:
                outcome.joined(run, reply, sentAt);
                return;
            default:
                throw new IllegalStateException("unknown join outcome " + reply.outcome());
        }
    }

    /** The store's exception names the call, node, cluster and what to do: passed on as it is (one message). */
    private ClusterixException failure(Throwable cause) {
        if (cause instanceof ClusterixException known) {
            return known;
        }
        if (cause instanceof TimeoutException) {
            return new ClusterixException("initializeNode() of node '" + options.nodeId() + "' in cluster "
                    + options.keys() + " got no reply from Redis within " + replyLimitMillis() + " ms: check that"
                    + " Redis is reachable from this process and not overloaded.", cause);
        }
        return new ClusterixException("initializeNode() of node '" + options.nodeId() + "' in cluster "
                + options.keys() + " failed: " + cause, cause);
    }
}
