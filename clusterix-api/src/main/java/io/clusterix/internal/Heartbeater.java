package io.clusterix.internal;

import io.clusterix.ClusterixException;
import io.clusterix.ConnectionState;
import io.clusterix.EvictionReason;
import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownEvent;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A member's heartbeat loop: when to send (a {@link TickPlan}), what a heartbeat carries (a poll, the claims to renew
 * and release from {@link HeldClaims}), and what happens when its reply arrives ({@link #onReply}, the one place):
 * claimed deaths go to the node-down listeners, the connection state moves ({@link ConnectionTracker}), a deadline
 * to watch is planned, and a reply that says this node lost its entry ends the membership (an eviction).
 */
final class Heartbeater {
    /** Most dead nodes claimed by one poll; a full batch makes the next poll run at once. */
    static final int REAP_LIMIT = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeater.class);

    /** Where the loop's news goes; the engine implements it. */
    interface Events {
        /**
         * @param down a death this node claimed
         * @return completes when the node-down listeners returned
         */
        CompletableFuture<Void> nodeDown(NodeDownEvent down);

        /** @param roundTripNanos the round trip of a heartbeat that got its reply, by the ticker */
        void heartbeat(long roundTripNanos);

        /** @param state a connection state change */
        void connectionState(ConnectionState state);

        /** @param changes membership changes applied, in version order */
        void membershipChanged(List<MembershipEvent> changes);

        /** This node's entry was restored after Redis lost it: its metadata must be published again. */
        void restored();

        /** @param error a background failure, named and explained */
        void error(ClusterixException error);

        /**
         * @param run             the member run that ended
         * @param lostIncarnation the incarnation that lost its entry
         * @param reason          why
         */
        void evicted(long run, long lostIncarnation, EvictionReason reason);
    }

    private final Object lock;
    private final Membership membership;
    private final MembershipViews views;
    private final EngineOptions options;
    private final HeartbeatStore store;
    private final Ticker ticker;
    private final EngineScheduler scheduler;
    private final Events events;
    private final TickPlan plan;
    private final ConnectionTracker connection;
    private final HeldClaims claims = new HeldClaims();

    // Guarded by lock.
    private EngineScheduler.Timer timer = EngineScheduler.Timer.NONE;
    private EngineScheduler.Timer suspensionCheck = EngineScheduler.Timer.NONE;
    /** The heartbeat whose reply has not arrived, published before it is sent: a leave waits for it. */
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private int consecutiveFailures;

    Heartbeater(Object lock, Membership membership, MembershipViews views, EngineOptions options, HeartbeatStore store,
                Ticker ticker, EngineScheduler scheduler, Events events) {
        this.lock = lock;
        this.membership = membership;
        this.views = views;
        this.options = options;
        this.store = store;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.events = events;
        this.plan = new TickPlan(options.heartbeatNanos(), options.pollNanos(), options.coalesceNanos());
        this.connection = new ConnectionTracker(options.timeoutNanos());
    }

    /**
     * Starts the loop of a run that just became a member; the caller holds the lock.
     *
     * @param since when the join that made it one went out: the first heartbeat is due one interval after that, at
     *              once if a late reply (a join storm, a cold JVM) used that up
     */
    void start(long run, long since) {
        long now = ticker.nanoTime();
        plan.start(since);
        connection.joined(now);
        consecutiveFailures = 0;
        armSuspensionCheck(run);
        schedule(run);
    }

    /** Stops the timers; the caller holds the lock and has ended the run. */
    void stop() {
        timer.cancel();
        timer = EngineScheduler.Timer.NONE;
        suspensionCheck.cancel();
        suspensionCheck = EngineScheduler.Timer.NONE;
    }

    /**
     * Holds the death a join claimed (the taken-over predecessor of this node's id) as a heartbeat's claims are held:
     * the next heartbeats renew it while its listeners run and release it when they return. The caller holds the lock.
     *
     * @param down the predecessor's death
     */
    void claimedByJoin(NodeDownEvent down) {
        claims.claimed(down.incarnation(), ticker.nanoTime());
    }

    /**
     * Delivers a death this node claimed to its listeners, and marks its claim for release when they return. The
     * caller does not hold the lock.
     *
     * @param down the death
     * @return completed when the listeners returned
     */
    CompletableFuture<Void> deliver(NodeDownEvent down) {
        return events.nodeDown(down).whenComplete((ignored, e) -> {
            synchronized (lock) {
                claims.finished(down.incarnation());
            }
        });
    }

    /** @return the heartbeat in flight (completed when none is); the caller holds the lock */
    CompletableFuture<?> inFlight() {
        return inFlight;
    }

    /** @return whether heartbeats get through; the caller holds the lock */
    ConnectionTracker.Link link() {
        return connection.link();
    }

    private void schedule(long run) {
        // caller holds lock
        if (!membership.is(run, Membership.Phase.MEMBER)) {
            return;
        }
        timer = scheduler.schedule(() -> tick(run), plan.fireAt() - ticker.nanoTime());
    }

    private void tick(long run) {
        Heartbeat request;
        long sent;
        CompletableFuture<HeartbeatResult> reply = new CompletableFuture<>();
        List<Long> overdue;
        synchronized (lock) {
            if (!membership.is(run, Membership.Phase.MEMBER)) {
                return;
            }
            sent = ticker.nanoTime();
            TickPlan.Due due = plan.take(sent);
            if (due == TickPlan.Due.NOTHING) {
                schedule(run);
                return;
            }
            overdue = claims.overdue(sent, options.handlerTimeout().toNanos());
            request = new Heartbeat(options.nodeId(), membership.incarnation(), membership.epoch(), options.timeout(),
                    due == TickPlan.Due.HEARTBEAT_AND_POLL ? REAP_LIMIT : 0, claims.releases(), claims.renewals(),
                    options.heartbeatInterval(), options.membershipView() ? views.knownVersion() : Heartbeat.NO_VIEW);
            inFlight = reply;
        }
        for (long incarnation : overdue) {
            events.error(new ClusterixException("A node-down listener of node '" + options.nodeId() + "' in cluster "
                    + options.keys() + " has run for longer than handlerTimeout (" + options.handlerTimeout().toMillis()
                    + " ms) on the death of incarnation " + incarnation + ": its claim is no longer renewed, so the"
                    + " death is handed to a survivor again after timeout. Make node-down listeners return, or raise"
                    + " handlerTimeout."));
        }
        CompletableFuture<HeartbeatResult> call = StoreCalls.call(() -> store.heartbeat(options.keys(), request));
        scheduler.failAfter(call, options.timeoutNanos(), TimeoutException::new)
                .whenCompleteAsync((result, error) -> {
                    try {
                        onReply(run, request, sent, result, error);
                    } finally {
                        reply.complete(result);
                    }
                }, scheduler::execute);
    }

    /** What happens when a heartbeat's reply (or its failure) arrives. */
    private void onReply(long run, Heartbeat request, long sent, HeartbeatResult result, Throwable error) {
        if (error != null) {
            onFailure(run, StoreCalls.unwrap(error));
            return;
        }
        List<NodeDownEvent> dead = result.dead();
        int failures;
        ConnectionState transition = null;
        List<MembershipEvent> changes = List.of();
        long now;
        synchronized (lock) {
            now = ticker.nanoTime();
            // Deaths this call claimed belong to this node alone: they are delivered even if it stopped meanwhile
            // (then their claims lapse, and another node handles them again later).
            for (NodeDownEvent down : dead) {
                claims.claimed(down.incarnation(), now);
            }
            claims.released(request.handled());
            if (!membership.is(run, Membership.Phase.MEMBER)) {
                failures = -1;
            } else {
                failures = consecutiveFailures;
                consecutiveFailures = 0;
                if (dead.size() >= REAP_LIMIT) {
                    plan.extraCall(now, true);
                }
                if (result.pollDeadline() > 0) {
                    // This node watches the cluster's next deadline: poll just after it, by the server's clock.
                    plan.watchDeadline(now + TimeUnit.MILLISECONDS.toNanos(result.pollDeadline()
                            - result.serverTimeMillis()) + TickPlan.TOLERANCE_NANOS);
                }
                membership.epoch(result.epoch());
                if (result.member()) {
                    changes = views.apply(result.view());
                    if (views.view().version() < result.view().version()) {
                        plan.extraCall(now, false); // more changes than one batch: fetch the rest at once
                    }
                }
                transition = connection.replied(result.member(), sent, now);
                if (transition == ConnectionState.RECONNECTED) {
                    armSuspensionCheck(run);
                }
            }
        }
        events.heartbeat(Math.max(0, now - sent));
        for (NodeDownEvent down : dead) {
            LOG.info("Node '{}' of cluster {} is down ({}, incarnation {}{}), reported to node '{}'", down.nodeId(),
                    options.keys(), down.reason(), down.incarnation(), down.delivery() > 1
                            ? ", delivery " + down.delivery() + " after its first handler died" : "",
                    options.nodeId());
            deliver(down);
        }
        if (failures < 0) {
            return;
        }
        if (failures > 0) {
            LOG.info("Node '{}' of cluster {} reaches Redis again after {} failed calls", options.nodeId(),
                    options.keys(), failures);
        }
        if (transition != null) {
            LOG.info("Node '{}' of cluster {}: {}", options.nodeId(), options.keys(), transition);
            events.connectionState(transition);
        }
        if (!changes.isEmpty()) {
            events.membershipChanged(changes);
        }
        if (result.member()) {
            if (result.status() == HeartbeatResult.Status.RESTORED) {
                LOG.warn("Redis had lost the entry of node '{}' in cluster {} (a restart without persistence or a"
                        + " failover); it was written again for incarnation {}", options.nodeId(), options.keys(),
                        request.incarnation());
                events.restored();
            }
            synchronized (lock) {
                schedule(run);
            }
        } else {
            events.evicted(run, request.incarnation(), result.status() == HeartbeatResult.Status.TAKEN_OVER
                    ? EvictionReason.TAKEN_OVER : EvictionReason.DECLARED_DEAD);
        }
    }

    private void onFailure(long run, Throwable cause) {
        int failures;
        synchronized (lock) {
            if (!membership.is(run, Membership.Phase.MEMBER)) {
                return;
            }
            failures = ++consecutiveFailures;
            schedule(run);
        }
        // The store's exceptions name the call, the node and the cluster already: report them as they are.
        ClusterixException error = cause instanceof ClusterixException known ? known : new ClusterixException(
                cause instanceof TimeoutException ? "Heartbeat of node '" + options.nodeId() + "' in cluster "
                        + options.keys() + " got no reply from Redis within timeout " + options.timeout().toMillis()
                        + " ms." : "Heartbeat of node '" + options.nodeId() + "' in cluster " + options.keys()
                        + " failed: " + cause + ".", cause);
        if (failures == 1) {
            LOG.warn("{} Retrying at the next interval.", error.getMessage());
        } else {
            LOG.debug("{} Retrying at the next interval ({} failures in a row).", error.getMessage(), failures);
        }
        events.error(error);
    }

    /** One check per timeout at most, not one per heartbeat; the caller holds the lock. */
    private void armSuspensionCheck(long run) {
        suspensionCheck.cancel();
        suspensionCheck = scheduler.schedule(() -> checkSuspension(run), connection.suspendsAt() - ticker.nanoTime());
    }

    private void checkSuspension(long run) {
        synchronized (lock) {
            if (!membership.is(run, Membership.Phase.MEMBER) || connection.link() == ConnectionTracker.Link.SUSPENDED) {
                return;
            }
            if (!connection.check(ticker.nanoTime())) {
                armSuspensionCheck(run);
                return;
            }
        }
        LOG.warn("Node '{}' of cluster {} is SUSPENDED: no heartbeat got through for {} ms; other nodes may declare"
                + " it dead", options.nodeId(), options.keys(), options.timeout().toMillis());
        events.connectionState(ConnectionState.SUSPENDED);
    }
}
