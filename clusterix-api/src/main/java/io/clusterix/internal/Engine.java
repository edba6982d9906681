package io.clusterix.internal;

import io.clusterix.ClusterixException;
import io.clusterix.ConnectionState;
import io.clusterix.EvictionEvent;
import io.clusterix.EvictionPolicy;
import io.clusterix.EvictionReason;
import io.clusterix.HeartbeatTiming;
import io.clusterix.MembershipEvent;
import io.clusterix.MembershipView;
import io.clusterix.NodeDownEvent;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;

/**
 * One node's engine, behind the public {@code Clusterix} facade: it composes the {@link Membership} state machine,
 * the {@link Joiner}, the {@link Heartbeater} and the listeners, and carries out the facade's calls. One lock, shared
 * on purpose by all parts (as Hazelcast's cluster service shares one), guards every mutable field; no part calls a
 * store or a listener while holding it.
 */
public final class Engine {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Object lock = new Object();
    private final EngineOptions options;
    private final HeartbeatStore store;
    private final Runnable releaseStore;
    private final EngineScheduler scheduler;
    private final Executor callbacks;
    private final Membership membership = new Membership();
    private final MembershipViews views;
    private final MetadataPublisher metadata;
    private final Joiner joiner;
    private final Heartbeater heartbeater;
    private final GracefulLeave leave;
    private final EventListeners listeners;

    // Guarded by lock.
    /** The future of {@code initializeNode()} while the first join runs. */
    private CompletableFuture<Void> joining;
    /** This engine's entry in the JVM's shutdown hook, while it has one. */
    private AutoCloseable shutdownRegistration;

    /**
     * @param options      the checked options
     * @param store        the store
     * @param releaseStore runs once at {@link #dispose()}: gives back a shared store
     * @param ticker       the stopwatch
     * @param scheduler    where timers and reply handling run
     * @param callbacks    where returned futures complete, and through which listeners reach an application's
     *                     executor: never the scheduler, so that no application code runs on it
     */
    public Engine(EngineOptions options, HeartbeatStore store, Runnable releaseStore, Ticker ticker,
                  EngineScheduler scheduler, Executor callbacks) {
        this.options = options;
        this.store = store;
        this.releaseStore = releaseStore;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.listeners = new EventListeners(options.nodeId(), options.listenerExecutor(), callbacks);
        this.views = new MembershipViews(options.nodeId(), options.keys());
        this.metadata = new MetadataPublisher(lock, membership, options, store, callbacks);
        this.joiner = new Joiner(lock, options, store, scheduler, ticker, new JoinOutcome(),
                metadata::current);
        this.heartbeater = new Heartbeater(lock, membership, views, options, store, ticker, scheduler,
                new LoopEvents());
        this.leave = new GracefulLeave(lock, membership, heartbeater, options, store, scheduler);
    }

    /**
     * @param options the checked options
     * @param client  the application's Redis client, whose shared store the engine uses (and gives back at
     *                {@link #dispose()}), or a {@link HeartbeatStore} of the application's, used as it is
     * @return an engine on the JVM's shared scheduler thread and callback pool
     * @throws IllegalArgumentException if no backend supports the client
     */
    public static Engine create(EngineOptions options, Object client) {
        if (client instanceof HeartbeatStore own) {
            return new Engine(options, own, () -> { }, Ticker.SYSTEM, EngineScheduler.shared(), Threads.callbacks());
        }
        HeartbeatStore shared = SharedStores.acquire(client);
        return new Engine(options, shared, () -> SharedStores.release(client), Ticker.SYSTEM,
                EngineScheduler.shared(), Threads.callbacks());
    }

    /** @return the checked options */
    public EngineOptions options() {
        return options;
    }

    /** @return the incarnation while a member, else 0 */
    public long incarnation() {
        synchronized (lock) {
            return membership.phase() == Membership.Phase.MEMBER ? membership.incarnation() : 0;
        }
    }

    /** @return the listeners of this engine, by kind */
    public EventListeners listeners() {
        return listeners;
    }

    /** @return the last membership view this node applied (local, no Redis call) */
    public MembershipView view() {
        synchronized (lock) {
            return views.view();
        }
    }

    /** @return true while this node is a member whose heartbeats have not got through for {@code timeout} */
    public boolean isSuspended() {
        synchronized (lock) {
            return membership.phase() == Membership.Phase.MEMBER
                    && heartbeater.link() == ConnectionTracker.Link.SUSPENDED;
        }
    }

    /**
     * @return true while this node is a member, the oldest one of its view, and its connection is not SUSPENDED
     */
    public boolean isLeader() {
        synchronized (lock) {
            return membership.phase() == Membership.Phase.MEMBER && views.leads(membership.incarnation())
                    && heartbeater.link() == ConnectionTracker.Link.CONNECTED;
        }
    }

    /**
     * @param newMetadata the metadata to publish
     * @return see {@link MetadataPublisher#update}
     */
    public CompletableFuture<Void> updateMetadata(Map<String, String> newMetadata) {
        return metadata.update(newMetadata);
    }

    /** @return a future that completes when this node is a member (see {@code Clusterix.initializeNode()}) */
    public CompletableFuture<Void> initializeNode() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        long run;
        synchronized (lock) {
            if (membership.phase() == Membership.Phase.CLOSED) {
                return CompletableFuture.failedFuture(new IllegalStateException("initializeNode() after dispose() for"
                        + " node '" + options.nodeId() + "': build a new Clusterix instead"));
            }
            if (membership.phase() != Membership.Phase.NEW) {
                return CompletableFuture.failedFuture(new IllegalStateException("initializeNode() was already called"
                        + " for node '" + options.nodeId() + "' (state " + membership.phase() + "); call it once per"
                        + " instance"));
            }
            run = membership.move(Membership.Phase.JOINING);
            joining = result;
        }
        joiner.start(run);
        return result;
    }

    /** @return the live node ids, sorted and unmodifiable */
    public CompletableFuture<Set<String>> nodes() {
        CompletableFuture<Set<String>> result = new CompletableFuture<>();
        StoreCalls.call(() -> store.nodes(options.keys(), options.timeout())).whenComplete((ids, error) -> {
            if (error != null) {
                Callbacks.fail(callbacks, result, StoreCalls.unwrap(error));
            } else {
                Callbacks.complete(callbacks, result, Collections.unmodifiableSet(new TreeSet<>(ids)));
            }
        });
        return result;
    }

    /** Stops everything, like a crash (see {@code Clusterix.dispose()}). Idempotent. */
    public void dispose() {
        CompletableFuture<Void> pending;
        AutoCloseable registration;
        synchronized (lock) {
            if (membership.phase() == Membership.Phase.CLOSED) {
                return;
            }
            membership.move(Membership.Phase.CLOSED);
            joiner.cancel();
            heartbeater.stop();
            pending = joining;
            joining = null;
            registration = shutdownRegistration;
            shutdownRegistration = null;
        }
        if (pending != null) {
            Callbacks.fail(callbacks, pending, new ClusterixException("dispose() was called before initializeNode()"
                    + " completed for node '" + options.nodeId() + "' in cluster " + options.keys()));
        }
        closeQuietly(registration);
        releaseStore.run();
    }

    /** Leaves gracefully within {@code timeout}, then disposes (see {@code Clusterix.close()}). */
    public void close() {
        try {
            leave().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // The leave reports its own failures and never completes exceptionally.
        }
        dispose();
    }

    /** @return the graceful leave, started now or already (see {@link GracefulLeave#start()}) */
    CompletableFuture<Void> leave() {
        return leave.start();
    }

    private void evicted(long run, long lostIncarnation, EvictionReason reason) {
        boolean rejoin;
        long next;
        synchronized (lock) {
            if (!membership.is(run, Membership.Phase.MEMBER)) {
                return;
            }
            heartbeater.stop();
            views.stopped();
            rejoin = options.evictionPolicy() == EvictionPolicy.REJOIN;
            next = membership.move(rejoin ? Membership.Phase.REJOINING : Membership.Phase.STOPPED);
        }
        LOG.warn("Node '{}' of cluster {} was evicted ({}): incarnation {} no longer owns its entry. {}",
                options.nodeId(), options.keys(), reason, lostIncarnation, rejoin
                        ? "Rejoining as a new incarnation." : "Stopping (evictionPolicy STOP).");
        CompletableFuture<Void> told = listeners.evictions.deliver(
                new EvictionEvent(options.keys().clusterId(), options.nodeId(), lostIncarnation, reason));
        if (rejoin) {
            told.whenCompleteAsync((ignored, e) -> {
                // Only if nothing ended the rejoin meanwhile (dispose(), close()): else the join would create an
                // incarnation nobody runs.
                synchronized (lock) {
                    if (!membership.is(next, Membership.Phase.REJOINING)) {
                        return;
                    }
                }
                joiner.start(next);
            }, scheduler::execute);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed", closeable, e);
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Clusterix[node=" + options.nodeId() + ", cluster=" + options.keys() + ", state="
                    + membership.phase() + ", incarnation=" + membership.incarnation() + "]";
        }
    }

    /** What the {@link Joiner} found. */
    private final class JoinOutcome implements Joiner.Outcome {
        @Override
        public boolean joining(long run) {
            synchronized (lock) {
                return membership.run() == run && (membership.phase() == Membership.Phase.JOINING
                        || membership.phase() == Membership.Phase.REJOINING);
            }
        }

        @Override
        public void joined(long run, JoinResult reply, long sentAt) {
            CompletableFuture<Void> done;
            List<MembershipEvent> changes;
            synchronized (lock) {
                if (!joining(run)) {
                    return; // disposed meanwhile: like a crash right after joining, the entry times out
                }
                membership.joined(reply.incarnation(), reply.epoch());
                changes = options.membershipView() ? views.joined(reply) : List.of();
                if (options.leaveOnShutdown() && shutdownRegistration == null) {
                    shutdownRegistration = ShutdownLeaves.register(
                            () -> leave().whenComplete((x, e) -> dispose()));
                }
                done = joining;
                joining = null;
                reply.predecessor().ifPresent(heartbeater::claimedByJoin);
                heartbeater.start(run, sentAt);
            }
            LOG.info("Node '{}' joined cluster {} as incarnation {}{}", options.nodeId(), options.keys(),
                    reply.incarnation(), reply.predecessor().map(p -> ", taking over the entry of its dead"
                            + " incarnation " + p.incarnation()).orElse(""));
            if (!changes.isEmpty()) {
                listeners.membership.deliverAll(changes);
            }
            CompletableFuture<Void> told = reply.predecessor().map(heartbeater::deliver)
                    .orElse(CompletableFuture.completedFuture(null));
            if (done != null) {
                told.whenComplete((ignored, e) -> Callbacks.complete(callbacks, done, null));
            }
        }

        @Override
        public void failed(long run, ClusterixException error) {
            CompletableFuture<Void> pending;
            synchronized (lock) {
                if (!joining(run)) {
                    return;
                }
                pending = joining;
                joining = null;
                // A first join may be tried again; a failed rejoin after eviction stops the node.
                membership.move(pending == null ? Membership.Phase.STOPPED : Membership.Phase.NEW);
                joiner.cancel();
            }
            if (pending == null) {
                LOG.error("Node '{}' could not rejoin cluster {} after its eviction and stopped: {}", options.nodeId(),
                        options.keys(), error.getMessage());
                listeners.errors.deliver(error);
            } else {
                Callbacks.fail(callbacks, pending, error);
            }
        }
    }

    /** What the {@link Heartbeater} reports. */
    private final class LoopEvents implements Heartbeater.Events {
        @Override
        public CompletableFuture<Void> nodeDown(NodeDownEvent down) {
            return listeners.nodeDowns.deliver(down);
        }

        @Override
        public void heartbeat(long roundTripNanos) {
            if (!listeners.heartbeats.isEmpty()) { // twice a second per node: nothing made when nobody listens
                listeners.heartbeats.deliver(new HeartbeatTiming(roundTripNanos));
            }
        }

        @Override
        public void connectionState(ConnectionState state) {
            listeners.connectionStates.deliver(state);
        }

        @Override
        public void error(ClusterixException error) {
            listeners.errors.deliver(error);
        }

        @Override
        public void membershipChanged(List<MembershipEvent> changes) {
            listeners.membership.deliverAll(changes);
        }

        @Override
        public void evicted(long run, long lostIncarnation, EvictionReason reason) {
            Engine.this.evicted(run, lostIncarnation, reason);
        }

        @Override
        public void restored() {
            metadata.republish().whenComplete((ignored, e) -> {
                if (e != null) {
                    listeners.errors.deliver(StoreCalls.unwrap(e));
                }
            });
        }
    }
}
