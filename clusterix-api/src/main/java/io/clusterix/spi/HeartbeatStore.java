package io.clusterix.spi;

import io.clusterix.ClusterKeys;
import io.clusterix.ClusterixException;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Where heartbeats live: the contract between the membership engine ({@link io.clusterix.Clusterix}) and Redis.
 *
 * <p>Every backend extends {@link ScriptedHeartbeatStore}, which implements this contract once with the shared Lua
 * script; implementing this interface directly (an in-memory store, another database) is possible as long as every
 * point below holds, and {@code clusterix-tck}'s {@code HeartbeatStoreContract} proves it.
 *
 * <h2>Contract, for every method</h2>
 * <ul>
 *   <li><b>Atomic.</b> Each call is one atomic step on the server: no other call on the same {@link ClusterKeys}
 *       interleaves with it.</li>
 *   <li><b>Server time only.</b> Every timestamp is the Redis server's clock ({@code TIME}) in milliseconds since the
 *       epoch, read inside the atomic step. No client clock is ever read or sent. Durations are compared with that
 *       clock: a node is <em>live</em> while {@code now - lastHeartbeat <= timeout} and <em>stale</em> after.</li>
 *   <li><b>Asynchronous.</b> Methods never block the caller; they return a future that completes with the result or
 *       fails with a {@link ClusterixException} naming the operation and the key, with the client's exception as
 *       its cause. A failed call wrote nothing, or wrote a state that a repeated call repairs.</li>
 *   <li><b>Thread-safe.</b> Any number of engines, for any number of clusters, may call one store at once.</li>
 *   <li><b>Ownership.</b> The Redis client belongs to the application: {@link #close()} releases only what the store
 *       created itself (for example a connection it opened from a client factory), never the client it was given.</li>
 *   <li><b>Input.</b> Node ids are arbitrary non-empty strings; they travel as script arguments, never as key names,
 *       so no node id can reach another cluster's keys.</li>
 * </ul>
 */
public interface HeartbeatStore extends AutoCloseable {

    /**
     * Claims {@code nodeId} for a new incarnation, unless a live process holds it.
     *
     * <ul>
     *   <li>Id absent: writes a heartbeat at server time and a new incarnation, strictly greater than every earlier
     *       incarnation of this cluster; {@link JoinResult.Outcome#JOINED}.</li>
     *   <li>Id present and stale: replaces it the same way and returns the removed entry as
     *       {@link JoinResult#predecessor()}; {@link JoinResult.Outcome#TAKEN_OVER}. That death is claimed for the
     *       new incarnation in the same step, exactly as a death in {@link HeartbeatResult#dead()} is: the caller
     *       renews the claim with its heartbeats while its listeners run ({@link Heartbeat#handling()}) and releases
     *       it when they return ({@link Heartbeat#handled()}); if it stops renewing it for {@code timeout}, a poll
     *       hands the death to another caller (delivery 2).</li>
     *   <li>Id present and live: writes nothing; {@link JoinResult.Outcome#LIVE} with the live entry's last heartbeat,
     *       so that the caller can look again later and tell a live process from a just-crashed one.</li>
     * </ul>
     * A join that takes the id records, in the same atomic step, the predecessor's {@code TIMED_OUT} (if it timed out;
     * a left one's {@code LEFT} is recorded already) and this node's {@code JOINED} with its metadata in the
     * membership history, and returns the members at the version of that {@code JOINED}.
     *
     * @param keys     the cluster
     * @param nodeId   the node id to claim
     * @param metadata this member's metadata (checked by the caller)
     * @param timeout  how old a heartbeat may be and still count as live
     * @return the outcome
     */
    CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Map<String, String> metadata,
                                       Duration timeout);

    /**
     * {@link #join(ClusterKeys, String, Map, Duration)} without metadata.
     *
     * @param keys    the cluster
     * @param nodeId  the node id to claim
     * @param timeout how old a heartbeat may be and still count as live
     * @return the outcome
     */
    default CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Duration timeout) {
        return join(keys, nodeId, Map.of(), timeout);
    }

    /**
     * Writes a heartbeat for {@code heartbeat.nodeId()} at server time, if and only if {@code heartbeat.incarnation()}
     * still owns it; releases and renews the caller's claims; and, when {@code heartbeat.reapLimit() > 0}, polls in
     * the same atomic step (as {@link #poll}).
     *
     * <p>A node that no longer owns its id learns it here ({@link HeartbeatResult.Status#DECLARED_DEAD} or
     * {@link HeartbeatResult.Status#TAKEN_OVER}) and nothing is written for it: an evicted node can never come back
     * to life under its old incarnation; such a call claims no deaths either, whatever its reap limit (it could not
     * renew their claims under a dead incarnation). A heartbeat of an incarnation that left ({@link #leave}; the
     * heartbeat was in flight) does not revive the left entry: {@link HeartbeatResult.Status#LEFT}. A node whose
     * entry Redis lost without anyone declaring it dead (the {@link Heartbeat#epoch()} changed, or the incarnation
     * counter is behind the node's incarnation) gets it back: {@link HeartbeatResult.Status#RESTORED}.
     *
     * <p>Membership view: for a heartbeat that names the version its sender knows ({@link Heartbeat#knownVersion()}),
     * the reply brings what it missed ({@link HeartbeatResult#view()}): nothing when it is current (at no extra cost:
     * the version travels in a read the call makes anyway), else the changes after it in bounded batches, or a
     * snapshot when those cannot be read. A sender that knows a version the store never reached (Redis lost changes)
     * makes the history go on above every version used before, and gets a snapshot.
     *
     * <p>Claims are released ({@link Heartbeat#handled()}) and renewed ({@link Heartbeat#handling()}) only if this
     * incarnation holds them: a claimer that paused past {@code timeout}, whose death another survivor claimed again,
     * touches nothing of that survivor's claim when it resumes.
     *
     * @param keys      the cluster
     * @param heartbeat the heartbeat and what it piggybacks
     * @return the outcome, with the deaths this call claimed
     */
    CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, Heartbeat heartbeat);

    /**
     * Claims, oldest first and at most {@code limit} in all: deaths whose claimer stopped renewing its claim for
     * longer than {@code timeout} (it died while handling them; their {@link NodeDownEvent#delivery()} grows), and
     * nodes whose last heartbeat is older than {@code timeout} or that left (removed from the cluster). Each claim is
     * returned to exactly one caller, whatever the number of concurrent pollers; a claim that lapses is claimed
     * again, so a death is handled at least once, by one claimer at a time. Costs O(log N + claimed); a store
     * may keep the earliest time at which anything can turn stale and answer polls before it without a range read
     * (O(1)), provided that only the store writes the cluster's keys.
     *
     * <p>Outage grace: if no write of this cluster reached Redis for longer than {@code timeout} (or, for a heartbeat
     * that names its {@link Heartbeat#interval()}, for long enough that a live node may have missed its turn: the
     * README gives the bound) (Redis stalled, unreachable, restarted, emptied or failing over), then for the next
     * {@code timeout} plus the outage's length (at most one minute more) only entries that were already stale when
     * the outage began, and entries written after it ended (they reached Redis), are claimed: no node is declared
     * dead for having been unable to heartbeat during the outage, and a cluster that was idle (every node gone) does
     * not hold back the next fleet's deaths.
     *
     * @param keys    the cluster
     * @param claimer the incarnation of the calling node, whose heartbeats will renew and release the claims; 0 for a
     *                caller that does not heartbeat (its claims lapse after {@code timeout} and are claimed again)
     * @param timeout how old a heartbeat may be and still count as live
     * @param limit   the most deaths to claim in this call, positive
     * @return the claimed deaths; empty if none
     */
    CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, long claimer, Duration timeout, int limit);

    /**
     * The ids of live nodes: those whose last heartbeat is at most {@code timeout} old by server time (during an
     * outage grace: those that were live when the outage began). A stale entry that no poll has removed yet is not
     * listed; a node that left is not listed. Costs O(log N + live). Read-only.
     *
     * @param keys    the cluster
     * @param timeout how old a heartbeat may be and still count as live
     * @return the live node ids, unmodifiable
     */
    CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout);

    /**
     * Marks {@code nodeId} as left, if {@code incarnation} still owns it. The next poll of any node claims it, with
     * reason {@link NodeDownReason#LEFT} (one claim at a time, as for every death), so that a survivor learns of the
     * departure without waiting for the timeout.
     *
     * @param keys        the cluster
     * @param nodeId      this node's id
     * @param incarnation this node's incarnation
     * @param timeout     the cluster's timeout (for outage detection)
     * @return true if the node was marked, false if the incarnation no longer owned the id (nothing written)
     */
    CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation, Duration timeout);

    /**
     * Replaces the metadata of {@code nodeId}, if {@code incarnation} still owns it and did not leave, and records an
     * {@code UPDATED} change with the next version, atomically: every member receives it with its next heartbeat.
     *
     * @param keys        the cluster
     * @param nodeId      this node's id
     * @param incarnation this node's incarnation
     * @param metadata    the new metadata (checked by the caller)
     * @param timeout     the cluster's timeout (for outage detection)
     * @return true if it was written, false if the incarnation no longer owned the id (nothing written)
     */
    CompletableFuture<Boolean> updateMetadata(ClusterKeys keys, String nodeId, long incarnation,
                                              Map<String, String> metadata, Duration timeout);

    /**
     * Releases what this store created. Never closes the application's Redis client. Idempotent.
     */
    @Override
    default void close() {
    }
}
