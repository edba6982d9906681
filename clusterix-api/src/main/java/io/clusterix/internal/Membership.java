package io.clusterix.internal;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The membership state machine of one engine, with every state explicit. Each change goes through {@link #move},
 * which accepts only the transitions below and starts a new <em>run</em> whenever the node stops being a member or
 * starts joining: a timer or reply of an earlier run recognises itself by its run number and does nothing.
 *
 * <pre>
 * NEW ──initializeNode──▶ JOINING ──joined──▶ MEMBER ──close──▶ LEAVING ──▶ CLOSED
 *  ▲                        │                  │  ▲
 *  └───────first join failed┘        evicted   │  │ rejoined
 *                                    (REJOIN)  ▼  │
 *                                          REJOINING ──rejoin failed──▶ STOPPED
 *                     MEMBER ──evicted (STOP)──▶ STOPPED
 * every state but CLOSED ──dispose──▶ CLOSED
 * </pre>
 *
 * Not thread-safe: used under the engine's lock.
 */
final class Membership {
    /** Where the node is. */
    enum Phase {
        /** Built; {@code initializeNode()} not called yet, or its first join failed (it may be called again). */
        NEW,
        /** The first join runs; {@code initializeNode()}'s future waits for it. */
        JOINING,
        /** This incarnation owns the node id: heartbeats and polls run. */
        MEMBER,
        /** Evicted with {@code evictionPolicy(REJOIN)}: the eviction listeners run, then a join as a new incarnation. */
        REJOINING,
        /** {@code close()} started: the graceful leave is in flight. */
        LEAVING,
        /** Evicted with {@code evictionPolicy(STOP)}, or a rejoin failed: nothing runs until {@code dispose()}. */
        STOPPED,
        /** Disposed: nothing runs, ever again. */
        CLOSED
    }

    private static final Map<Phase, Set<Phase>> NEXT = Map.of(
            Phase.NEW, EnumSet.of(Phase.JOINING, Phase.CLOSED),
            Phase.JOINING, EnumSet.of(Phase.MEMBER, Phase.NEW, Phase.CLOSED),
            Phase.MEMBER, EnumSet.of(Phase.REJOINING, Phase.STOPPED, Phase.LEAVING, Phase.CLOSED),
            Phase.REJOINING, EnumSet.of(Phase.MEMBER, Phase.STOPPED, Phase.CLOSED),
            Phase.LEAVING, EnumSet.of(Phase.CLOSED),
            Phase.STOPPED, EnumSet.of(Phase.CLOSED),
            Phase.CLOSED, EnumSet.noneOf(Phase.class));

    /** Moves that begin a new run: the old run's timers and replies must find themselves stale. */
    private static final Set<Phase> NEW_RUN = EnumSet.of(Phase.JOINING, Phase.REJOINING, Phase.LEAVING,
            Phase.STOPPED, Phase.NEW, Phase.CLOSED);

    private Phase phase = Phase.NEW;
    private long run;
    private long incarnation;
    /** The epoch of Redis' state for this cluster, from the last reply: tells a lost entry from an eviction. */
    private String epoch = "";

    /** @return where the node is */
    Phase phase() {
        return phase;
    }

    /** @return the current run */
    long run() {
        return run;
    }

    /**
     * @param expectedRun a run a timer or reply belongs to
     * @param expected    the phase it expects
     * @return true if the node is still in that run and phase
     */
    boolean is(long expectedRun, Phase expected) {
        return run == expectedRun && phase == expected;
    }

    /**
     * @param to the next phase
     * @return the run the node is in after the move
     * @throws IllegalStateException if the move is not one of the machine's (a bug of the engine)
     */
    long move(Phase to) {
        if (!NEXT.get(phase).contains(to)) {
            throw new IllegalStateException("clusterix engine bug: no transition from " + phase + " to " + to);
        }
        phase = to;
        if (NEW_RUN.contains(to)) {
            run++;
        }
        if (to != Phase.MEMBER && to != Phase.LEAVING) {
            incarnation = 0;
        }
        return run;
    }

    /**
     * Becomes a member.
     *
     * @param newIncarnation the incarnation the join handed out
     * @param newEpoch       the epoch it reported
     */
    void joined(long newIncarnation, String newEpoch) {
        move(Phase.MEMBER);
        incarnation = newIncarnation;
        epoch = newEpoch;
    }

    /** @return the incarnation while a member (also while leaving), else 0 */
    long incarnation() {
        return incarnation;
    }

    /** @return the last epoch a reply reported */
    String epoch() {
        return epoch;
    }

    /** @param replied the epoch of the latest reply */
    void epoch(String replied) {
        epoch = replied;
    }
}
