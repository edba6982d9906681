package io.clusterix.internal;

import java.util.concurrent.TimeUnit;

/**
 * When a member's next call goes out and what it carries: heartbeats every {@code heartbeatInterval}, polls every
 * {@code pollInterval} (a poll due within half a heartbeat interval rides in the heartbeat's call), and the deadline
 * poll this node owes the cluster when the store made it the deadline watcher. Times are {@link Ticker} nanoseconds;
 * the fire time is rounded up to the coalescing grid. Not thread-safe: used under the engine's lock.
 */
final class TickPlan {
    /** A call due this close is due now: timers fire a little early or late. */
    static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** What one tick sends; a poll always carries a heartbeat (one call per round trip). */
    enum Due {
        /** Nothing yet: the timer fired early. */
        NOTHING,
        /** A heartbeat alone. */
        HEARTBEAT,
        /** A heartbeat with a poll. */
        HEARTBEAT_AND_POLL
    }

    private final long heartbeatNanos;
    private final long pollNanos;
    private final long coalesceNanos;
    private long nextHeartbeat;
    private long nextPoll;
    /** The deadline poll this node owes the cluster, or 0. */
    private long deadlinePoll;
    /** An extra call due now, outside the cadence (more to fetch), or {@link Due#NOTHING}. */
    private Due extra = Due.NOTHING;
    private long extraAt;

    TickPlan(long heartbeatNanos, long pollNanos, long coalesceNanos) {
        this.heartbeatNanos = heartbeatNanos;
        this.pollNanos = pollNanos;
        this.coalesceNanos = coalesceNanos;
    }

    /** @param now when the node became a member: the first heartbeat and poll are one interval later */
    void start(long now) {
        nextHeartbeat = now + heartbeatNanos;
        nextPoll = now + pollNanos;
        deadlinePoll = 0;
    }

    /** @return when the next tick should fire: the earliest due call, rounded up to the coalescing grid */
    long fireAt() {
        long next = Math.min(nextHeartbeat, nextPoll);
        if (deadlinePoll != 0 && deadlinePoll - next < 0) {
            next = deadlinePoll;
        }
        if (extra != Due.NOTHING && extraAt - next < 0) {
            next = extraAt;
        }
        return coalesce(next, coalesceNanos);
    }

    /**
     * Decides what a tick firing at {@code now} sends, and moves the plan past it.
     *
     * @param now the tick's time
     * @return what to send
     */
    Due take(long now) {
        if (extra != Due.NOTHING && now - extraAt >= -TOLERANCE_NANOS) {
            // Outside the cadence: the regular heartbeats and polls stay where they were, aligned.
            Due due = extra;
            extra = Due.NOTHING;
            return due;
        }
        boolean heartbeat = now - nextHeartbeat >= -TOLERANCE_NANOS;
        boolean deadline = deadlinePoll != 0 && now - deadlinePoll >= -TOLERANCE_NANOS;
        // Fold a regular poll that is due soon into this heartbeat: one round trip instead of two. A deadline poll is
        // never moved earlier: it would look before the oldest heartbeat turned stale.
        boolean poll = deadline || now - nextPoll >= -TOLERANCE_NANOS
                || (heartbeat && nextPoll - now <= heartbeatNanos / 2);
        if (!heartbeat && !poll) {
            return Due.NOTHING;
        }
        if (heartbeat) {
            nextHeartbeat = advance(nextHeartbeat, heartbeatNanos, now);
        }
        if (poll) {
            nextPoll = advance(nextPoll, pollNanos, now);
            deadlinePoll = 0;
            return Due.HEARTBEAT_AND_POLL;
        }
        return Due.HEARTBEAT;
    }

    /** @param at when this node must poll for the cluster's next deadline */
    void watchDeadline(long at) {
        deadlinePoll = at;
    }

    /**
     * One extra call at once, outside the cadence: a poll that claimed a full batch (more deaths may wait), or a
     * heartbeat whose reply brought a full batch of membership changes (more may wait). The regular calls keep their
     * times, so a burst does not move polls off the heartbeats they ride in.
     *
     * @param now  the time
     * @param poll whether the extra call polls too
     */
    void extraCall(long now, boolean poll) {
        extra = poll || extra == Due.HEARTBEAT_AND_POLL ? Due.HEARTBEAT_AND_POLL : Due.HEARTBEAT;
        extraAt = now;
    }

    /**
     * @param time a time
     * @param grid the grid step, 0 for none
     * @return the first grid point at or after {@code time}
     */
    static long coalesce(long time, long grid) {
        return grid > 0 ? Math.floorDiv(time + grid - 1, grid) * grid : time;
    }

    /**
     * @param next   when the call was due
     * @param period its interval
     * @param now    when it went out
     * @return when it is due next: one period later, or one period from now if the engine fell behind (no burst of
     *         catch-up calls after a stall)
     */
    static long advance(long next, long period, long now) {
        long advanced = next + period;
        return advanced - now < 0 ? now + period : advanced;
    }
}
