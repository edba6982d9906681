package io.clusterix.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One heartbeat of a member, with what it piggybacks: a poll, and the state of the deaths it claimed.
 *
 * @param nodeId      this node's id
 * @param incarnation this node's incarnation, as returned by {@link HeartbeatStore#join}
 * @param epoch       the epoch of the last reply this node received ({@link JoinResult#epoch()},
 *                    {@link HeartbeatResult#epoch()}): tells a node that Redis lost its data from one that was
 *                    declared dead
 * @param timeout     how old a heartbeat may be and still count as live
 * @param reapLimit   the most deaths to claim in this call; 0 for no poll
 * @param handled     incarnations of dead nodes whose handling this node finished: their claims are released
 * @param handling    incarnations of dead nodes this node is still handling: their claims are renewed
 * @param interval    this node's heartbeat interval, or {@link Duration#ZERO} if unknown: a store may use it to tell
 *                    a Redis outage (no node could write for longer than {@code timeout - interval}) from a death
 * @param knownVersion the version of the last membership change this node applied: the reply brings what it
 *                    missed ({@link HeartbeatResult#view()}); {@link #NO_VIEW} for a caller that keeps no view
 */
public record Heartbeat(String nodeId, long incarnation, String epoch, Duration timeout, int reapLimit,
                        Set<Long> handled, Set<Long> handling, Duration interval, long knownVersion) {

    /** {@link #knownVersion()} of a caller that keeps no membership view: the reply carries none. */
    public static final long NO_VIEW = -1;

    /**
     * @throws NullPointerException if a component is null
     */
    public Heartbeat {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(interval, "interval");
        handled = Set.copyOf(handled);
        handling = Set.copyOf(handling);
    }

    /**
     * A heartbeat whose sender's interval is unknown ({@link Duration#ZERO}).
     *
     * @param nodeId      this node's id
     * @param incarnation its incarnation
     * @param epoch       the last epoch seen
     * @param timeout     the timeout
     * @param reapLimit   the most deaths to claim; 0 for no poll
     * @param handled     claims to release
     * @param handling    claims to renew
     */
    public Heartbeat(String nodeId, long incarnation, String epoch, Duration timeout, int reapLimit,
                     Set<Long> handled, Set<Long> handling) {
        this(nodeId, incarnation, epoch, timeout, reapLimit, handled, handling, Duration.ZERO, NO_VIEW);
    }

    /**
     * A plain heartbeat: no poll, no claims.
     *
     * @param nodeId      this node's id
     * @param incarnation its incarnation
     * @param epoch       the last epoch seen
     * @param timeout     the timeout
     * @return the heartbeat
     */
    public static Heartbeat of(String nodeId, long incarnation, String epoch, Duration timeout) {
        return new Heartbeat(nodeId, incarnation, epoch, timeout, 0, Set.of(), Set.of());
    }

    /**
     * @param limit the most deaths to claim in the same call
     * @return this heartbeat, polling too
     */
    public Heartbeat withPoll(int limit) {
        return new Heartbeat(nodeId, incarnation, epoch, timeout, limit, handled, handling, interval, knownVersion);
    }

    /**
     * @param heartbeatInterval the sender's heartbeat interval
     * @return this heartbeat, telling the store the sender's interval
     */
    public Heartbeat withInterval(Duration heartbeatInterval) {
        return new Heartbeat(nodeId, incarnation, epoch, timeout, reapLimit, handled, handling, heartbeatInterval,
                knownVersion);
    }

    /**
     * @param version the version of the last membership change the sender applied
     * @return this heartbeat, asking for the changes after it
     */
    public Heartbeat withKnownVersion(long version) {
        return new Heartbeat(nodeId, incarnation, epoch, timeout, reapLimit, handled, handling, interval, version);
    }
}
