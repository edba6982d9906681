package io.clusterix.bench;

import io.clusterix.ClusterKeys;
import io.clusterix.NodeDownEvent;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;
import io.clusterix.spi.ViewUpdate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One virtual node's view of the shared backend store: passes every call through unchanged, counts it in the run's
 * {@link CallCounters}, times its round trip, and remembers when this node's last successful heartbeat completed
 * (the base of "detection latency from the last heartbeat"), and tells the run's {@link ViewTracker} when each
 * membership change its replies bring was written (the server time the script stored with it). Never closes the backend store, which the run shares.
 */
final class CountingHeartbeatStore implements HeartbeatStore {
    private final HeartbeatStore delegate;
    private final CallCounters counters;
    /** Where the changes the replies bring are reported (their server write time), or null. */
    private final ViewTracker views;
    /** System.nanoTime() at which the last heartbeat that kept this node a member completed; 0 before any. */
    private volatile long lastHeartbeatNanos;
    /** System.nanoTime() at which the engine last called heartbeat(); 0 before any. */
    private volatile long lastHeartbeatCallNanos;

    CountingHeartbeatStore(HeartbeatStore delegate, CallCounters counters) {
        this(delegate, counters, null);
    }

    CountingHeartbeatStore(HeartbeatStore delegate, CallCounters counters, ViewTracker views) {
        this.delegate = delegate;
        this.counters = counters;
        this.views = views;
    }

    /** @return System.nanoTime() at which this node's last successful heartbeat completed, 0 if none did */
    long lastHeartbeatNanos() {
        return lastHeartbeatNanos;
    }

    @Override
    public CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Map<String, String> metadata,
                                              Duration timeout) {
        long start = System.nanoTime();
        counters.call(CallCounters.Op.JOIN);
        return delegate.join(keys, nodeId, metadata, timeout).whenComplete((reply, error) -> {
            long now = System.nanoTime();
            counters.completed(error, now - start);
            if (error == null && reply.outcome() != JoinResult.Outcome.LIVE) {
                lastHeartbeatNanos = now; // a join writes the first heartbeat
            }
        });
    }

    @Override
    public CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, Heartbeat heartbeat) {
        long start = System.nanoTime();
        long previous = lastHeartbeatCallNanos;
        lastHeartbeatCallNanos = start;
        if (previous != 0) {
            // How late the engine sends: with heartbeatInterval 500 ms, a gap near 1000 ms is a false down waiting.
            counters.sendGap(start - previous);
        }
        counters.call(heartbeat.reapLimit() > 0 ? CallCounters.Op.HEARTBEAT_POLL : CallCounters.Op.HEARTBEAT);
        return delegate.heartbeat(keys, heartbeat).whenComplete((reply, error) -> {
            long now = System.nanoTime();
            counters.completed(error, now - start);
            if (error == null && reply.member()) {
                lastHeartbeatNanos = now;
            }
            if (error == null && views != null && reply.view().kind() == ViewUpdate.Kind.CHANGES) {
                reply.view().changes().forEach(views::written);
            }
        });
    }

    @Override
    public CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, long claimer, Duration timeout, int limit) {
        long start = System.nanoTime();
        counters.call(CallCounters.Op.POLL);
        return delegate.poll(keys, claimer, timeout, limit)
                .whenComplete((reply, error) -> counters.completed(error, System.nanoTime() - start));
    }

    @Override
    public CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout) {
        long start = System.nanoTime();
        counters.call(CallCounters.Op.NODES);
        return delegate.nodes(keys, timeout)
                .whenComplete((reply, error) -> counters.completed(error, System.nanoTime() - start));
    }

    @Override
    public CompletableFuture<Boolean> updateMetadata(ClusterKeys keys, String nodeId, long incarnation,
                                                     Map<String, String> metadata, Duration timeout) {
        return delegate.updateMetadata(keys, nodeId, incarnation, metadata, timeout);
    }

    @Override
    public CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation, Duration timeout) {
        long start = System.nanoTime();
        counters.call(CallCounters.Op.LEAVE);
        return delegate.leave(keys, nodeId, incarnation, timeout)
                .whenComplete((reply, error) -> counters.completed(error, System.nanoTime() - start));
    }

    /** The backend store is shared by every node of the run: the run closes it, not one node. */
    @Override
    public void close() {
    }
}
