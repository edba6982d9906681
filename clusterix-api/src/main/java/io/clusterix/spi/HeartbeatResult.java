package io.clusterix.spi;

import io.clusterix.NodeDownEvent;

import java.util.List;
import java.util.Objects;

/**
 * What {@link HeartbeatStore#heartbeat} found and did.
 *
 * @param status           whether the heartbeat was written
 * @param serverTimeMillis Redis server time (ms since the epoch) at which the script ran
 * @param owner            for {@link Status#TAKEN_OVER}: the incarnation that now owns the node id; else 0
 * @param dead             nodes this call declared dead and removed, each claimed by this caller alone (empty when
 *                         no poll was asked for)
 */
public record HeartbeatResult(Status status, long serverTimeMillis, long owner, List<NodeDownEvent> dead) {

    /** Whether the heartbeat was written. */
    public enum Status {
        /** This incarnation owns the node id; its heartbeat now carries the server time. */
        OK,
        /** The node id has no entry: another node declared this one dead. Nothing was written for it. */
        DECLARED_DEAD,
        /** Another incarnation owns the node id. Nothing was written for it. */
        TAKEN_OVER
    }

    /**
     * @throws NullPointerException if status or dead is null
     */
    public HeartbeatResult {
        Objects.requireNonNull(status, "status");
        dead = List.copyOf(dead);
    }
}
