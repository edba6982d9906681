package io.clusterix.internal;

import io.clusterix.spi.HeartbeatStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A member's graceful leave: ends the member run, waits for the heartbeat in flight (so that it cannot land after the
 * leave and revive the entry), then marks the entry as left, all within one {@code timeout}. Started by
 * {@code close()} or by the JVM's shutdown hook, once.
 */
final class GracefulLeave {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulLeave.class);

    private final Object lock;
    private final Membership membership;
    private final Heartbeater heartbeater;
    private final EngineOptions options;
    private final HeartbeatStore store;
    private final EngineScheduler scheduler;
    /** The leave, once started; guarded by lock. */
    private CompletableFuture<Void> leaving;

    GracefulLeave(Object lock, Membership membership, Heartbeater heartbeater, EngineOptions options,
                  HeartbeatStore store, EngineScheduler scheduler) {
        this.lock = lock;
        this.membership = membership;
        this.heartbeater = heartbeater;
        this.options = options;
        this.store = store;
        this.scheduler = scheduler;
    }

    /**
     * @return the leave (started now, or earlier by another caller); completes within {@code timeout}, never
     *         exceptionally: a failure is logged, and the others see the node time out. Completed at once for a node
     *         that is not a member.
     */
    CompletableFuture<Void> start() {
        CompletableFuture<?> pending;
        long owned;
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (leaving != null) {
                return leaving;
            }
            if (membership.phase() != Membership.Phase.MEMBER) {
                return CompletableFuture.completedFuture(null);
            }
            owned = membership.incarnation();
            membership.move(Membership.Phase.LEAVING);
            heartbeater.stop();
            pending = heartbeater.inFlight();
            leaving = done;
        }
        CompletableFuture<Boolean> left = pending.handle((ignored, e) -> null).thenComposeAsync(
                ignored -> StoreCalls.call(() -> store.leave(options.keys(), options.nodeId(), owned,
                        options.timeout())), scheduler::execute);
        scheduler.failAfter(left, options.timeoutNanos(), TimeoutException::new).whenComplete((gone, error) -> {
            if (error == null) {
                LOG.info("Node '{}' {} cluster {}", options.nodeId(), Boolean.TRUE.equals(gone) ? "left"
                        : "had already lost its entry in", options.keys());
            } else {
                Throwable cause = StoreCalls.unwrap(error);
                LOG.warn("Node '{}' could not leave cluster {} gracefully ({}); the other nodes will see it time out",
                        options.nodeId(), options.keys(), cause instanceof TimeoutException
                                ? "no reply within timeout " + options.timeout().toMillis() + " ms" : cause.getMessage());
            }
            done.complete(null);
        });
        return done;
    }
}
