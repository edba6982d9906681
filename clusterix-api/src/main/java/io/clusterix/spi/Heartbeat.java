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
 */
public record Heartbeat(String nodeId, long incarnation, String epoch, Duration timeout, int reapLimit,
                        Set<Long> handled, Set<Long> handling) {

    /**
     * @throws NullPointerException if a component is null
     */
    public Heartbeat {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(timeout, "timeout");
        handled = Set.copyOf(handled);
        handling = Set.copyOf(handling);
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
        return new Heartbeat(nodeId, incarnation, epoch, timeout, limit, handled, handling);
    }
}
