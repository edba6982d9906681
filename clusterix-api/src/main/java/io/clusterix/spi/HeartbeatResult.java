package io.clusterix.spi;

import io.clusterix.NodeDownEvent;

import java.util.List;
import java.util.Objects;

/**
 * What {@link HeartbeatStore#heartbeat} found and did.
 *
 * @param status           whether the heartbeat was written
 * @param serverTimeMillis Redis server time (ms since the epoch) at which the script ran
 * @param epoch            identifies the cluster's state in Redis; pass it back with the next {@link Heartbeat}
 * @param pollDeadline     when this call polled and made the caller the cluster's deadline watcher: the server time
 *                         (ms) at which the oldest live heartbeat turns stale, when the caller should poll again for
 *                         a detection close to {@code timeout}; else 0 (another node watches)
 * @param dead             deaths this call claimed, each claimed by this caller alone (empty when no poll was asked
 *                         for): the caller must renew each claim while it handles it and release it when done
 * @param view             what the caller must apply to its membership view ({@link ViewUpdate#NONE} when the
 *                         heartbeat asked for none); it includes the TIMED_OUT of every death this call claimed
 */
public record HeartbeatResult(Status status, long serverTimeMillis, String epoch, long pollDeadline,
                              List<NodeDownEvent> dead, ViewUpdate view) {

    /** Whether the heartbeat was written. */
    public enum Status {
        /** This incarnation owns the node id; its heartbeat now carries the server time. */
        OK,
        /**
         * Redis had lost this node's entry without anyone declaring it dead (a restart without persistence, a
         * failover that lost recent writes); the entry was written again, for the same incarnation.
         */
        RESTORED,
        /** The node id has no entry: another node declared this one dead. Nothing was written for it. */
        DECLARED_DEAD,
        /** Another incarnation owns the node id. Nothing was written for it. */
        TAKEN_OVER,
        /**
         * This incarnation left ({@link HeartbeatStore#leave}): a heartbeat that arrives after its leave (it was in
         * flight) does not revive the left entry. Nothing was written for it.
         */
        LEFT
    }

    /**
     * @throws NullPointerException if status, epoch or dead is null
     */
    public HeartbeatResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(epoch, "epoch");
        dead = List.copyOf(dead);
        Objects.requireNonNull(view, "view");
    }

    /** @return true if this node still owns its id (status {@link Status#OK} or {@link Status#RESTORED}) */
    public boolean member() {
        return status == Status.OK || status == Status.RESTORED;
    }
}
