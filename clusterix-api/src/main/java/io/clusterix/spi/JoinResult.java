package io.clusterix.spi;

import io.clusterix.Member;
import io.clusterix.NodeDownEvent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link HeartbeatStore#join} found and did.
 *
 * @param outcome          what happened
 * @param serverTimeMillis Redis server time (ms since the epoch) at which the script ran
 * @param epoch            identifies the cluster's state in Redis; pass it back with each {@link Heartbeat}
 * @param incarnation      for {@link Outcome#JOINED} and {@link Outcome#TAKEN_OVER}: the new incarnation of this node;
 *                         for {@link Outcome#LIVE}: the incarnation of the live node
 * @param lastHeartbeat    for {@link Outcome#LIVE}: server time (ms) of the live node's last heartbeat; else 0
 * @param predecessor      for {@link Outcome#TAKEN_OVER}: the stale entry that was removed, as a node-down event
 * @param version          for {@link Outcome#JOINED} and {@link Outcome#TAKEN_OVER}: the version of this node's
 *                         JOINED change; else 0
 * @param members          for {@link Outcome#JOINED} and {@link Outcome#TAKEN_OVER}: every member at {@code version},
 *                         this node included; else empty
 */
public record JoinResult(Outcome outcome, long serverTimeMillis, String epoch, long incarnation, long lastHeartbeat,
                         Optional<NodeDownEvent> predecessor, long version, List<Member> members) {

    /** What a join found. */
    public enum Outcome {
        /** The node id was free; this node now owns it. */
        JOINED,
        /** A stale entry for the id was found (a dead predecessor) and replaced; this node now owns the id. */
        TAKEN_OVER,
        /** The id's last heartbeat is at most {@code timeout} old: it may belong to a live process. Nothing written. */
        LIVE
    }

    /**
     * @throws NullPointerException if outcome, epoch or predecessor is null
     */
    public JoinResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(predecessor, "predecessor");
        members = List.copyOf(members);
    }
}
