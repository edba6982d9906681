package io.clusterix;

import io.clusterix.internal.SerialExecutor;
import io.clusterix.internal.SharedStores;
import io.clusterix.internal.ShutdownLeaves;
import io.clusterix.internal.Threads;
import io.clusterix.spi.ClusterKeys;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One node's membership in a cluster of processes that share a Redis server: it heartbeats, polls for dead nodes and
 * tells its listeners when another node is down.
 *
 * <pre>{@code
 * Clusterix cluster = Clusterix.builder(redisClient)   // a Jedis, Lettuce or Redisson client; backend via ServiceLoader
 *         .nodeId("node1")
 *         .build();
 * cluster.onNodeDown(down -> cleanUpAfter(down.nodeId()));
 * cluster.initializeNode().join();
 * ...
 * cluster.close();                                   // leave: one survivor hears "node down" (LEFT) at its next poll
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Membership decisions use only the Redis server's clock; a wrong client clock changes nothing.</li>
 *   <li>Each death (or leave) is handled by one live node of the cluster at a time, at least once: the survivor
 *       whose call claimed it atomically in Redis gets the {@link NodeDownEvent}, and only if that survivor dies
 *       before its listeners return does another one get it again ({@link NodeDownEvent#delivery()} &gt; 1). See
 *       {@link NodeDownEvent}.</li>
 *   <li>A node that was declared dead while it was still running (a long pause, a partition) learns so on its next
 *       heartbeat, emits an {@link EvictionEvent} and never heartbeats again under the lost incarnation.</li>
 *   <li>Listeners run on the listener executor (by default a shared pool of clusterix threads), never on a Redis
 *       client's I/O thread and never on the thread that sends heartbeats. Each listener has its own queue: it sees
 *       events in order, and one that throws or blocks delays neither heartbeats nor other listeners. Futures
 *       returned by this class complete on the listener executor too (see
 *       {@link Builder#listenerExecutor(Executor)} for what that asks of an executor of your own).</li>
 *   <li>Background failures (a heartbeat or poll that fails or gets no reply within {@code timeout}) never throw into
 *       the application; they go to {@link #onError} listeners and to SLF4J, and the node keeps trying.</li>
 * </ul>
 *
 * <h2>Threads and shutdown</h2>
 * Every thread clusterix starts is a daemon thread: one scheduler thread per JVM serves all instances, and listeners
 * run on a shared pool. They never keep a JVM alive, so a program whose {@code main} returns after
 * {@code initializeNode()} exits at once: keep it alive yourself (a server usually does; a small program can
 * {@code Thread.currentThread().join()}). When the JVM shuts down (SIGTERM, Ctrl-C, {@code System.exit}), a
 * JVM-wide shutdown hook closes every instance that is a member, so that it leaves gracefully; see
 * {@link Builder#leaveOnShutdown(boolean)}.
 *
 * <p>Thread-safe. Instances share one scheduler thread per JVM, so thousands of instances cost no thread each.
 */
public final class Clusterix implements AutoCloseable {
    /** Default {@code heartbeatInterval}: 500 ms, as in the Node original. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    /** Default {@code pollInterval}: 500 ms, as in the Node original. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);
    /** Default {@code timeout}: 1000 ms, as in the Node original. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(1000);
    /** Default {@code keyPrefix}. */
    public static final String DEFAULT_KEY_PREFIX = "clusterix";
    /** Longest accepted node id, in characters. */
    public static final int MAX_NODE_ID_LENGTH = 256;

    /** Most dead nodes claimed by one poll; a full batch makes the next poll run at once. */
    static final int REAP_LIMIT = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Clusterix.class);
    private static final long TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Timer coalescing: the ticks of all instances of the JVM fire on this grid of {@link System#nanoTime()}, so that
     * instances due within one grid step send their calls together (fewer wake-ups of the scheduler thread and of
     * Redis). System property {@code clusterix.coalesceMillis}, default 10; 0 turns it off. An instance whose
     * heartbeat or poll interval is under ten grid steps uses a tenth of the shorter interval instead.
     */
    private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.getLong("clusterix.coalesceMillis", 10));
    /** Extra wait before looking again at a live-looking id in {@link #initializeNode()}. */
    private static final long JOIN_RECHECK_MARGIN_MILLIS = 5;
    /** Longest wait for the reply to one join call, unless {@code timeout} is longer. */
    private static final long JOIN_REPLY_LIMIT_MILLIS = 10_000;

    private enum State { NEW, JOINING, RUNNING, LEAVING, STOPPED, CLOSED }

    private final HeartbeatStore store;
    /** The application's client this instance's store was acquired for, or null for a store handed in. */
    private final Object sharedClient;
    private final ClusterKeys keys;
    private final String nodeId;
    private final Duration heartbeatInterval;
    private final Duration pollInterval;
    private final Duration timeout;
    private final long heartbeatNanos;
    private final long pollNanos;
    /** This instance's coalescing grid step (see {@link #COALESCE_NANOS}); 0 for none. */
    private final long coalesceNanos;
    private final Executor listenerExecutor;
    private final EvictionPolicy evictionPolicy;
    private final boolean leaveOnShutdown;
    private final ScheduledExecutorService scheduler = Threads.scheduler();

    private final List<Listener<NodeDownEvent>> nodeDownListeners = new CopyOnWriteArrayList<>();
    private final List<Listener<EvictionEvent>> evictionListeners = new CopyOnWriteArrayList<>();
    private final List<Listener<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
    private final List<Listener<ConnectionState>> connectionListeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    // Everything below is guarded by lock. generation changes whenever a run of timers ends (dispose, eviction), so that
    // late callbacks of an earlier run recognise themselves and do nothing.
    private State state = State.NEW;
    private long generation;
    private long incarnation;
    private CompletableFuture<Void> joining;
    /** The graceful leave once {@link #close()} (or the shutdown hook) started it. */
    private CompletableFuture<Void> leaving;
    /** This instance's entry in the JVM's shutdown hook, while it has one. */
    private AutoCloseable shutdownRegistration;
    private ScheduledFuture<?> timer;
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private long nextHeartbeat;
    private long nextPoll;
    /** nanoTime of the deadline poll this node owes the cluster (deadline-driven reaping), or 0. */
    private long deadlinePoll;
    private int consecutiveFailures;
    /** The epoch of Redis' state for this cluster, from the last reply: tells a lost entry from an eviction. */
    private String dataEpoch = "";
    /** nanoTime at which the last heartbeat that succeeded was sent; the base of SUSPENDED. */
    private long lastHeartbeatSent;
    private boolean suspended;
    private ScheduledFuture<?> suspensionCheck;
    /** Incarnations of dead nodes whose listeners still run: each heartbeat renews their claims. */
    private final Set<Long> handling = new HashSet<>();
    /** Incarnations of dead nodes whose listeners completed: the next heartbeat releases their claims. */
    private final Set<Long> handled = new HashSet<>();

    private Clusterix(Builder builder, HeartbeatStore store, Object sharedClient, ClusterKeys keys) {
        this.store = store;
        this.sharedClient = sharedClient;
        this.keys = keys;
        this.nodeId = builder.nodeId;
        this.heartbeatInterval = builder.heartbeatInterval;
        this.pollInterval = builder.pollInterval;
        this.timeout = builder.timeout;
        this.heartbeatNanos = heartbeatInterval.toNanos();
        this.pollNanos = pollInterval.toNanos();
        this.coalesceNanos = Math.min(COALESCE_NANOS, Math.min(heartbeatNanos, pollNanos) / 10);
        this.listenerExecutor = builder.listenerExecutor;
        this.evictionPolicy = builder.evictionPolicy;
        this.leaveOnShutdown = builder.leaveOnShutdown;
    }

    /**
     * Starts a builder for a node that stores heartbeats through the given Redis client. The backend is the first
     * {@link io.clusterix.spi.HeartbeatStoreProvider} found by {@link java.util.ServiceLoader} that supports the
     * client (add {@code clusterix-jedis}, {@code clusterix-lettuce} or {@code clusterix-redisson}). All instances
     * built from the same client object share one store (with Lettuce: one connection). clusterix never closes this
     * client; a connection it opens from it is closed when the last instance using it is disposed.
     *
     * @param redisClient a supported Redis client object (or a {@link HeartbeatStore})
     * @return a new builder
     */
    public static Builder builder(Object redisClient) {
        Objects.requireNonNull(redisClient, "redisClient");
        if (redisClient instanceof HeartbeatStore) {
            return builder((HeartbeatStore) redisClient);
        }
        return new Builder(redisClient, null);
    }

    /**
     * Starts a builder for a node that uses the given store. The store stays the caller's: {@link #dispose()} does
     * not close it, so one store may serve many instances.
     *
     * @param store the heartbeat store
     * @return a new builder
     */
    public static Builder builder(HeartbeatStore store) {
        return new Builder(null, Objects.requireNonNull(store, "store"));
    }

    /** @return this node's id */
    public String nodeId() {
        return nodeId;
    }

    /** @return the cluster id ({@code ""} for the default cluster) */
    public String id() {
        return keys.clusterId();
    }

    /** @return the Redis keys of this cluster */
    public ClusterKeys keys() {
        return keys;
    }

    /**
     * The fencing token of this node's current membership: strictly greater than every earlier incarnation of any
     * node of this cluster. Pass it along with writes made on behalf of this membership so that downstream systems
     * can reject writes from an incarnation that has been declared dead.
     *
     * @return this node's incarnation while it is a member, or 0 before it joined, while it rejoins, and after it
     *         stopped
     */
    public long incarnation() {
        synchronized (lock) {
            return state == State.RUNNING ? incarnation : 0;
        }
    }

    /**
     * Registers a listener for "node down": another node (or, on restart, this node's own dead predecessor) was
     * declared dead or left. Each death is handled by one node of the cluster at a time, at least once: it reaches
     * another node again only if the node that handles it dies before its listeners return (see
     * {@link NodeDownEvent}).
     *
     * @param listener called on the listener executor, one event at a time
     * @return the registration; close it to remove the listener
     */
    public Registration onNodeDown(Consumer<? super NodeDownEvent> listener) {
        return register(nodeDownListeners, listener);
    }

    /**
     * Registers a listener for this node's eviction (see {@link EvictionEvent}).
     *
     * @param listener called on the listener executor
     * @return the registration; close it to remove the listener
     */
    public Registration onEvicted(Consumer<? super EvictionEvent> listener) {
        return register(evictionListeners, listener);
    }

    /**
     * Registers a listener for background failures: heartbeats or polls that failed or timed out, listeners that
     * threw. They are logged through SLF4J as well; they never throw into the application.
     *
     * @param listener called on the listener executor
     * @return the registration; close it to remove the listener
     */
    public Registration onError(Consumer<? super Throwable> listener) {
        return register(errorListeners, listener);
    }

    /**
     * Registers a listener for this node's connection state: {@link ConnectionState#SUSPENDED} when heartbeats have
     * failed for {@code timeout}, then {@link ConnectionState#RECONNECTED} or {@link ConnectionState#LOST} at the
     * first heartbeat that gets through.
     *
     * @param listener called on the listener executor
     * @return the registration; close it to remove the listener
     */
    public Registration onConnectionStateChanged(Consumer<? super ConnectionState> listener) {
        return register(connectionListeners, listener);
    }

    private <T> Registration register(List<Listener<T>> listeners, Consumer<? super T> consumer) {
        Listener<T> listener = new Listener<>(Objects.requireNonNull(consumer, "listener"));
        listeners.add(listener);
        return () -> {
            listener.removed = true;
            listeners.remove(listener);
        };
    }

    /**
     * Joins the cluster: claims this node id, then heartbeats and polls until {@link #dispose()} or {@link #close()}.
     *
     * <p>If a live process heartbeats under the same id, the future fails with {@link DuplicateNodeException} within
     * about {@code timeout + heartbeatInterval}, and that process's entry is not touched. If the id holds the entry
     * of a predecessor whose death no other node reported (it crashed, or it left when no other node was there to
     * hear it), this node takes it over: its own {@link #onNodeDown} listeners receive "node down" for its own id,
     * with the predecessor's incarnation and reason, exactly once, before the future completes.
     *
     * @return a future that completes when this node is a member; fails with a {@link ClusterixException} when Redis
     *         fails, refuses the credentials, or does not answer within {@code max(timeout, 10 s)} (then no timer is
     *         left running, and the call may be repeated)
     */
    public CompletableFuture<Void> initializeNode() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        long run;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "initializeNode() after dispose() for node '" + nodeId + "': build a new Clusterix instead"));
            }
            if (state != State.NEW) {
                return CompletableFuture.failedFuture(new IllegalStateException("initializeNode() was already called"
                        + " for node '" + nodeId + "' (state " + state + "); call it once per instance"));
            }
            state = State.JOINING;
            joining = result;
            run = ++generation;
        }
        attemptJoin(run, null);
        return result;
    }

    private void attemptJoin(long run, Long firstSeenHeartbeat) {
        CompletableFuture<JoinResult> call = callStore(() -> store.join(keys, nodeId, timeout));
        // A join may include opening a connection: allow it more than one heartbeat's worth of time.
        call.orTimeout(joinReplyLimitMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((reply, error) -> onJoinReply(run, firstSeenHeartbeat, reply, error), scheduler);
    }

    private long joinReplyLimitMillis() {
        return Math.max(timeout.toMillis(), JOIN_REPLY_LIMIT_MILLIS);
    }

    private void onJoinReply(long run, Long firstSeenHeartbeat, JoinResult reply, Throwable error) {
        if (error != null) {
            // The store's exception names the call, the node, the cluster and what to do: pass it on as it is, so
            // that the message appears once down the cause chain.
            Throwable cause = unwrap(error);
            failJoin(run, cause instanceof ClusterixException known ? known : cause instanceof TimeoutException
                    ? new ClusterixException("initializeNode() of node '" + nodeId + "' in cluster " + keys
                    + " got no reply from Redis within " + joinReplyLimitMillis() + " ms: check that Redis is"
                    + " reachable from this process and not overloaded.", cause)
                    : new ClusterixException("initializeNode() of node '" + nodeId + "' in cluster " + keys
                    + " failed: " + cause, cause));
            return;
        }
        switch (reply.outcome()) {
            case LIVE:
                if (firstSeenHeartbeat != null && reply.lastHeartbeat() != firstSeenHeartbeat) {
                    failJoin(run, new DuplicateNodeException(keys, nodeId));
                    return;
                }
                // The entry looks live. Look again once its owner should have heartbeated, or once the entry must be
                // stale: an advancing heartbeat means a live duplicate, an unchanged one a crashed predecessor.
                long untilStale = reply.lastHeartbeat() + timeout.toMillis() - reply.serverTimeMillis() + 1;
                long delay = Math.max(1, Math.min(heartbeatInterval.toMillis() * 6 / 5, untilStale))
                        + JOIN_RECHECK_MARGIN_MILLIS;
                long seen = firstSeenHeartbeat != null ? firstSeenHeartbeat : reply.lastHeartbeat();
                synchronized (lock) {
                    if (run == generation && state == State.JOINING) {
                        timer = scheduler.schedule(() -> attemptJoin(run, seen), delay, TimeUnit.MILLISECONDS);
                    }
                }
                return;
            case JOINED:
            case TOOK_OVER:
                CompletableFuture<Void> done;
                synchronized (lock) {
                    if (run != generation || state != State.JOINING) {
                        return; // disposed meanwhile: like a crash right after joining, the entry times out
                    }
                    state = State.RUNNING;
                    if (leaveOnShutdown && shutdownRegistration == null) {
                        shutdownRegistration = ShutdownLeaves.register(
                                () -> leave().whenComplete((ignored, e) -> dispose()));
                    }
                    incarnation = reply.incarnation();
                    dataEpoch = reply.epoch();
                    long now = System.nanoTime();
                    nextHeartbeat = now + heartbeatNanos;
                    nextPoll = now + pollNanos;
                    deadlinePoll = 0;
                    consecutiveFailures = 0;
                    lastHeartbeatSent = now;
                    suspended = false;
                    armSuspensionCheck(run, now + timeout.toNanos());
                    done = joining;
                    joining = null;
                    scheduleTick(run);
                }
                LOG.info("Node '{}' joined cluster {} as incarnation {}{}", nodeId, keys, reply.incarnation(),
                        reply.predecessor().map(p -> ", taking over the entry of its dead incarnation "
                                + p.incarnation()).orElse(""));
                CompletableFuture<Void> told = reply.predecessor()
                        .map(this::deliverNodeDown)
                        .orElse(CompletableFuture.completedFuture(null));
                told.whenComplete((ignored, e) -> {
                    if (done != null) {
                        complete(done, null);
                    }
                });
                return;
            default:
                throw new IllegalStateException("unknown join outcome " + reply.outcome());
        }
    }

    private void failJoin(long run, ClusterixException failure) {
        CompletableFuture<Void> pending;
        boolean rejoin;
        synchronized (lock) {
            if (run != generation || state != State.JOINING) {
                return;
            }
            pending = joining;
            joining = null;
            rejoin = pending == null;
            // A first join may be tried again; a failed rejoin after eviction stops the node.
            state = rejoin ? State.STOPPED : State.NEW;
            cancelTimer();
            generation++;
        }
        if (rejoin) {
            LOG.error("Node '{}' could not rejoin cluster {} after its eviction and stopped: {}", nodeId, keys,
                    failure.getMessage());
            reportError(failure);
        } else {
            fail(pending, failure);
        }
    }

    private void scheduleTick(long run) {
        // caller holds lock
        if (run != generation || state != State.RUNNING) {
            return;
        }
        long next = Math.min(nextHeartbeat, nextPoll);
        if (deadlinePoll != 0 && deadlinePoll - next < 0) {
            next = deadlinePoll;
        }
        long now = System.nanoTime();
        if (coalesceNanos > 0) {
            next = Math.floorDiv(next + coalesceNanos - 1, coalesceNanos) * coalesceNanos;
        }
        long delay = Math.max(0, next - now);
        timer = scheduler.schedule(() -> tick(run), delay, TimeUnit.NANOSECONDS);
    }

    private void tick(long run) {
        boolean heartbeat;
        boolean poll;
        long owned;
        long sent;
        Heartbeat request;
        synchronized (lock) {
            if (run != generation || state != State.RUNNING) {
                return;
            }
            sent = System.nanoTime();
            heartbeat = sent - nextHeartbeat >= -TOLERANCE_NANOS;
            boolean deadline = deadlinePoll != 0 && sent - deadlinePoll >= -TOLERANCE_NANOS;
            // Fold a regular poll that is due soon into this heartbeat: one round trip instead of two. A deadline
            // poll is never moved earlier: it would look before the oldest heartbeat turned stale.
            poll = deadline || sent - nextPoll >= -TOLERANCE_NANOS
                    || (heartbeat && nextPoll - sent <= heartbeatNanos / 2);
            if (!heartbeat && !poll) {
                scheduleTick(run);
                return;
            }
            if (heartbeat) {
                nextHeartbeat = advance(nextHeartbeat, heartbeatNanos, sent);
            }
            if (poll) {
                nextPoll = advance(nextPoll, pollNanos, sent);
                deadlinePoll = 0;
            }
            owned = incarnation;
            // A poll always carries a heartbeat too: it costs nothing extra and keeps one call per round trip.
            request = new Heartbeat(nodeId, owned, dataEpoch, timeout, poll ? REAP_LIMIT : 0, handled, handling,
                    heartbeatInterval);
        }
        CompletableFuture<HeartbeatResult> call = callStore(() -> store.heartbeat(keys, request));
        synchronized (lock) {
            inFlight = call;
        }
        call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenCompleteAsync((reply, error) ->
                afterTick(run, request, sent, reply, error), scheduler);
    }

    private static long advance(long next, long period, long now) {
        long advanced = next + period;
        return advanced - now < 0 ? now + period : advanced;
    }

    private void afterTick(long run, Heartbeat request, long sent, HeartbeatResult result, Throwable error) {
        if (error != null) {
            onTickFailure(run, unwrap(error));
            return;
        }
        List<NodeDownEvent> dead = result.dead();
        int failures;
        ConnectionState transition = null;
        synchronized (lock) {
            // Deaths this call claimed belong to this node alone: they are delivered even if it was disposed
            // meanwhile (then their claims lapse, and another node handles them again later).
            for (NodeDownEvent down : dead) {
                handling.add(down.incarnation());
            }
            handled.removeAll(request.handled());
            if (run != generation || state != State.RUNNING) {
                failures = -1;
            } else {
                failures = consecutiveFailures;
                consecutiveFailures = 0;
                if (dead.size() >= REAP_LIMIT) {
                    nextPoll = System.nanoTime(); // a full batch: more may be waiting
                }
                if (result.pollDeadline() > 0) {
                    // This node watches the cluster's next deadline: poll just after it, by the server's clock.
                    deadlinePoll = System.nanoTime()
                            + TimeUnit.MILLISECONDS.toNanos(result.pollDeadline() - result.serverTimeMillis())
                            + TOLERANCE_NANOS;
                }
                dataEpoch = result.epoch();
                if (result.member()) {
                    lastHeartbeatSent = Math.max(lastHeartbeatSent, sent);
                }
                if (suspended) {
                    suspended = false;
                    transition = result.member() ? ConnectionState.RECONNECTED : ConnectionState.LOST;
                    if (result.member()) {
                        // After a stall, the replies of heartbeats sent long ago arrive one after the other: the
                        // server ran this one just now, not when it was sent, so count from now; otherwise the
                        // next check would find it "timeout old" at once and flip back to SUSPENDED.
                        lastHeartbeatSent = System.nanoTime();
                        armSuspensionCheck(run, lastHeartbeatSent + timeout.toNanos());
                    }
                }
            }
        }
        for (NodeDownEvent down : dead) {
            LOG.info("Node '{}' of cluster {} is down ({}, incarnation {}{}), reported to node '{}'", down.nodeId(),
                    keys, down.reason(), down.incarnation(), down.delivery() > 1
                            ? ", delivery " + down.delivery() + " after its first handler died" : "", nodeId);
            deliverNodeDown(down).whenComplete((ignored, e) -> {
                synchronized (lock) {
                    handling.remove(down.incarnation());
                    handled.add(down.incarnation());
                }
            });
        }
        if (failures < 0) {
            return;
        }
        if (failures > 0) {
            LOG.info("Node '{}' of cluster {} reaches Redis again after {} failed calls", nodeId, keys, failures);
        }
        if (transition != null) {
            LOG.info("Node '{}' of cluster {}: {}", nodeId, keys, transition);
            deliver(connectionListeners, transition);
        }
        if (result.member()) {
            if (result.status() == HeartbeatResult.Status.RESTORED) {
                LOG.warn("Redis had lost the entry of node '{}' in cluster {} (a restart without persistence or a"
                        + " failover); it was written again for incarnation {}", nodeId, keys, request.incarnation());
            }
            synchronized (lock) {
                scheduleTick(run);
            }
        } else {
            evicted(run, request.incarnation(), result.status() == HeartbeatResult.Status.TAKEN_OVER
                    ? EvictionReason.TAKEN_OVER : EvictionReason.DECLARED_DEAD);
        }
    }

    private void onTickFailure(long run, Throwable cause) {
        int failures;
        synchronized (lock) {
            if (run != generation || state != State.RUNNING) {
                return;
            }
            failures = ++consecutiveFailures;
            scheduleTick(run);
        }
        // The store's exceptions name the call, the node and the cluster already: report them as they are.
        ClusterixException error = cause instanceof ClusterixException known ? known : new ClusterixException(
                cause instanceof TimeoutException ? "Heartbeat of node '" + nodeId + "' in cluster " + keys
                        + " got no reply from Redis within timeout " + timeout.toMillis() + " ms."
                        : "Heartbeat of node '" + nodeId + "' in cluster " + keys + " failed: " + cause + ".", cause);
        if (failures == 1) {
            LOG.warn("{} Retrying at the next interval.", error.getMessage());
        } else {
            LOG.debug("{} Retrying at the next interval ({} failures in a row).", error.getMessage(), failures);
        }
        reportError(error);
    }

    /**
     * Checks, once the last successful heartbeat is {@code timeout} old, whether a newer one succeeded meanwhile;
     * if not, this node is SUSPENDED. One check per timeout at most, not one per heartbeat.
     */
    private void armSuspensionCheck(long run, long at) {
        // caller holds lock
        if (suspensionCheck != null) {
            suspensionCheck.cancel(false);
        }
        suspensionCheck = scheduler.schedule(() -> checkSuspension(run), Math.max(0, at - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    private void checkSuspension(long run) {
        synchronized (lock) {
            if (run != generation || state != State.RUNNING || suspended) {
                return;
            }
            long due = lastHeartbeatSent + timeout.toNanos();
            if (due - System.nanoTime() > 0) {
                armSuspensionCheck(run, due);
                return;
            }
            suspended = true;
        }
        LOG.warn("Node '{}' of cluster {} is SUSPENDED: no heartbeat got through for {} ms; other nodes may declare"
                + " it dead", nodeId, keys, timeout.toMillis());
        deliver(connectionListeners, ConnectionState.SUSPENDED);
    }

    private void evicted(long run, long lostIncarnation, EvictionReason reason) {
        long next;
        synchronized (lock) {
            if (run != generation || state != State.RUNNING) {
                return;
            }
            cancelTimer();
            next = ++generation;
            if (evictionPolicy == EvictionPolicy.REJOIN) {
                state = State.JOINING;
                joining = null;
            } else {
                state = State.STOPPED;
            }
        }
        LOG.warn("Node '{}' of cluster {} was evicted ({}): incarnation {} no longer owns its entry. {}", nodeId, keys,
                reason, lostIncarnation, evictionPolicy == EvictionPolicy.REJOIN
                        ? "Rejoining as a new incarnation." : "Stopping (evictionPolicy STOP).");
        EvictionEvent event = new EvictionEvent(keys.clusterId(), nodeId, lostIncarnation, reason);
        CompletableFuture<Void> told = deliver(evictionListeners, event);
        if (evictionPolicy == EvictionPolicy.REJOIN) {
            told.whenComplete((ignored, e) -> attemptJoin(next, null));
        }
    }

    /**
     * The ids of the live nodes of this cluster, this node included once it joined: those whose last heartbeat is at
     * most {@code timeout} old by Redis server time. Entries of dead nodes that no poll removed yet are not listed.
     *
     * @return a future of the ids, sorted, unmodifiable
     */
    public CompletableFuture<Set<String>> nodes() {
        CompletableFuture<Set<String>> result = new CompletableFuture<>();
        callStore(() -> store.nodes(keys, timeout)).whenComplete((ids, error) -> {
            if (error != null) {
                fail(result, unwrap(error));
            } else {
                complete(result, Collections.unmodifiableSet(new TreeSet<>(ids)));
            }
        });
        return result;
    }

    /**
     * Stops heartbeats and polls, like a crash as far as the other nodes can tell: one of them reports this node
     * down once its heartbeat is older than {@code timeout}. An unfinished {@link #initializeNode()} fails with a
     * {@link ClusterixException}; no timer is left running. Connections clusterix opened are closed; the
     * application's Redis client is not. Idempotent.
     */
    public void dispose() {
        CompletableFuture<Void> pending;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            generation++;
            cancelTimer();
            pending = joining;
            joining = null;
            closeQuietly(shutdownRegistration);
            shutdownRegistration = null;
        }
        if (pending != null) {
            fail(pending, new ClusterixException("dispose() was called before initializeNode() completed for node '"
                    + nodeId + "' in cluster " + keys));
        }
        if (sharedClient != null) {
            SharedStores.release(sharedClient);
        }
    }

    /**
     * Leaves the cluster gracefully, then {@link #dispose()}s: the entry is marked as left, so that one other node
     * receives "node down" with reason {@link NodeDownReason#LEFT} at its next poll instead of after the timeout.
     * Waits at most {@code timeout} in all (for a heartbeat still in flight, then for the leave); if Redis does not
     * answer within it, the node simply times out. A no-op on an instance that is not a member. Idempotent; a
     * {@code close()} while another one (or the JVM's shutdown hook, see {@link Builder#leaveOnShutdown(boolean)})
     * is leaving waits for that leave.
     */
    @Override
    public void close() {
        try {
            leave().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // leave() reports its own failures and never completes exceptionally; nothing to add.
        }
        dispose();
    }

    /** Starts the graceful leave, or returns the one already started; never completes exceptionally. */
    private CompletableFuture<Void> leave() {
        CompletableFuture<?> pending;
        long owned;
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (leaving != null) {
                return leaving;
            }
            if (state != State.RUNNING) {
                return CompletableFuture.completedFuture(null);
            }
            state = State.LEAVING;
            generation++;
            cancelTimer();
            owned = incarnation;
            pending = inFlight;
            leaving = done;
        }
        // A heartbeat still in flight must not land after the leave and revive the entry: wait for it first. One
        // bound, timeout, for both.
        pending.handle((ignored, e) -> null)
                .thenComposeAsync(ignored -> callStore(() -> store.leave(keys, nodeId, owned, timeout)), scheduler)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((left, error) -> {
                    if (error == null) {
                        LOG.info("Node '{}' {} cluster {}", nodeId, Boolean.TRUE.equals(left) ? "left"
                                : "had already lost its entry in", keys);
                    } else {
                        Throwable cause = unwrap(error);
                        LOG.warn("Node '{}' could not leave cluster {} gracefully ({}); the other nodes will see it"
                                + " time out", nodeId, keys, cause instanceof TimeoutException
                                ? "no reply within timeout " + timeout.toMillis() + " ms" : cause.getMessage());
                    }
                    done.complete(null);
                });
        return done;
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

    private void cancelTimer() {
        // caller holds lock
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (suspensionCheck != null) {
            suspensionCheck.cancel(false);
            suspensionCheck = null;
        }
    }

    private <T> CompletableFuture<T> callStore(Supplier<CompletableFuture<T>> call) {
        try {
            return Objects.requireNonNull(call.get(), "HeartbeatStore returned null");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> deliverNodeDown(NodeDownEvent event) {
        return deliver(nodeDownListeners, event);
    }

    private <T> CompletableFuture<Void> deliver(List<Listener<T>> listeners, T event) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[listeners.size()];
        int i = 0;
        for (Listener<T> listener : listeners) {
            if (i == all.length) {
                break;
            }
            all[i++] = listener.deliver(event, (Object) listeners != errorListeners);
        }
        return CompletableFuture.allOf(Arrays.copyOf(all, i));
    }

    private void reportError(Throwable error) {
        deliver(errorListeners, error);
    }

    private <T> void complete(CompletableFuture<T> future, T value) {
        try {
            listenerExecutor.execute(() -> future.complete(value));
        } catch (RuntimeException e) {
            future.complete(value);
        }
    }

    private void fail(CompletableFuture<?> future, Throwable error) {
        try {
            listenerExecutor.execute(() -> future.completeExceptionally(error));
        } catch (RuntimeException e) {
            future.completeExceptionally(error);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Clusterix[node=" + nodeId + ", cluster=" + keys + ", state=" + state + ", incarnation="
                    + incarnation + "]";
        }
    }

    /** One registered listener with its own queue on the listener executor. */
    private final class Listener<T> {
        private final Consumer<? super T> consumer;
        private final SerialExecutor queue = new SerialExecutor(listenerExecutor);
        private volatile boolean removed;

        Listener(Consumer<? super T> consumer) {
            this.consumer = consumer;
        }

        CompletableFuture<Void> deliver(T event, boolean reportFailure) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                queue.execute(() -> {
                    try {
                        if (!removed) {
                            consumer.accept(event);
                        }
                    } catch (RuntimeException | Error e) {
                        LOG.error("A clusterix listener of node '{}' threw while handling {}", nodeId, event, e);
                        if (reportFailure) {
                            reportError(e);
                        }
                    } finally {
                        done.complete(null);
                    }
                });
            } catch (RuntimeException rejected) {
                LOG.error("The listener executor of clusterix node '{}' rejected an event ({}): {}", nodeId, event,
                        rejected.toString());
                done.complete(null);
            }
            return done;
        }
    }

    /**
     * Configures a {@link Clusterix}. Every option is checked by {@link #build()}, which names the option and the
     * value it rejects.
     */
    public static final class Builder {
        private final Object client;
        private final HeartbeatStore store;
        private String id = "";
        private String nodeId = defaultNodeId();
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Executor listenerExecutor = Threads.callbacks();
        private EvictionPolicy evictionPolicy = EvictionPolicy.REJOIN;
        private boolean leaveOnShutdown = true;
        /** Which of the two were set, so that an error blames the option the user gave, not a default. */
        private boolean heartbeatIntervalSet;
        private boolean timeoutSet;

        private Builder(Object client, HeartbeatStore store) {
            this.client = client;
            this.store = store;
        }

        /**
         * @param id the cluster id; nodes with the same id and key prefix form one cluster. Default {@code ""}. At
         *           most 128 characters, no {@code {} or {@code }}.
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /**
         * @param nodeId this node's id, unique in the cluster; any non-empty string of at most 256 characters.
         *               Default: host name + ":" + the PORT environment variable, or host name + ":" + process id
         *               when PORT is unset.
         * @return this builder
         */
        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /**
         * @param keyPrefix the first part of every Redis key (replaces ioredis' {@code keyPrefix} of the Node
         *                  original). Default {@code "clusterix"}. Non-empty, at most 128 characters, no {@code {}
         *                  or {@code }}.
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * @param heartbeatInterval how often this node writes its heartbeat; shorter than {@code timeout}.
         *                          Default 500 ms.
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            this.heartbeatIntervalSet = true;
            return this;
        }

        /**
         * @param pollInterval how often this node looks for dead nodes. A poll due within half a heartbeat interval
         *                     of a heartbeat is sent in the same call. Default 500 ms.
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * @param timeout how long after its last heartbeat (by Redis server time) a node is considered down. Also
         *                the longest this node waits for one Redis reply. Default 1000 ms.
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            this.timeoutSet = true;
            return this;
        }

        /**
         * @param listenerExecutor runs listeners and completes the futures this instance returns. Default: a shared,
         *                         unbounded pool of daemon threads named {@code clusterix-callback-N}. Each listener
         *                         still sees one event at a time. Because returned futures complete on this executor,
         *                         a listener that waits for one (for example {@code cluster.nodes().join()} inside
         *                         {@code onNodeDown}) needs a second thread of it free: never pass a single-thread
         *                         executor to a cluster whose listeners wait for clusterix's futures, and never one
         *                         that runs tasks on the calling thread (it would run listeners on clusterix's
         *                         scheduler thread and stall every instance's heartbeats).
         * @return this builder
         */
        public Builder listenerExecutor(Executor listenerExecutor) {
            this.listenerExecutor = listenerExecutor;
            return this;
        }

        /**
         * @param evictionPolicy what to do after an eviction; default {@link EvictionPolicy#REJOIN}
         * @return this builder
         */
        public Builder evictionPolicy(EvictionPolicy evictionPolicy) {
            this.evictionPolicy = evictionPolicy;
            return this;
        }

        /**
         * Whether this node leaves gracefully when the JVM shuts down (SIGTERM, Ctrl-C, {@code System.exit}), as
         * Hazelcast members do by default ({@code hazelcast.shutdownhook.enabled}): one JVM-wide shutdown hook calls
         * {@link Clusterix#close()} on every instance that asked for it, all at once, so that a survivor hears
         * "node down" with reason {@link NodeDownReason#LEFT} within a poll instead of {@code TIMED_OUT} after the
         * timeout. A SIGKILL or a crash runs no hook: then the node times out, as it should.
         *
         * <p>Turn it off when something else closes the instance in order at shutdown (a Spring context, or a
         * shutdown hook of the application that also closes the Redis client: the JVM runs hooks concurrently, so
         * close the instance before the client in that hook).
         *
         * @param leaveOnShutdown true (the default) to leave at JVM shutdown
         * @return this builder
         */
        public Builder leaveOnShutdown(boolean leaveOnShutdown) {
            this.leaveOnShutdown = leaveOnShutdown;
            return this;
        }

        /**
         * Checks every option and creates the instance; with a client object, also finds the backend and creates
         * its store.
         *
         * @return a new instance, not yet a member: call {@link Clusterix#initializeNode()}
         * @throws IllegalArgumentException naming the option and value that are not acceptable, or the client class
         *                                  no backend supports
         */
        public Clusterix build() {
            requireOption("listenerExecutor", listenerExecutor);
            requireOption("evictionPolicy", evictionPolicy);
            positive("heartbeatInterval", heartbeatInterval);
            positive("pollInterval", pollInterval);
            positive("timeout", timeout);
            if (heartbeatInterval.compareTo(timeout) >= 0) {
                throw new IllegalArgumentException(intervalNotBelowTimeout());
            }
            requireOption("nodeId", nodeId);
            if (nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID_LENGTH) {
                throw new IllegalArgumentException("Option 'nodeId' = \"" + abbreviate(nodeId) + "\" must be 1 to "
                        + MAX_NODE_ID_LENGTH + " characters long, was " + nodeId.length() + ".");
            }
            requireOption("id", id);
            requireOption("keyPrefix", keyPrefix);
            ClusterKeys keys = ClusterKeys.of(keyPrefix, id);
            if (store != null) {
                return new Clusterix(this, store, null, keys);
            }
            return new Clusterix(this, SharedStores.acquire(client), client, keys);
        }

        /** Blames the option that was set; both when both were, or neither (then the defaults were changed). */
        private String intervalNotBelowTimeout() {
            String why = ": a node that heartbeats less often than the timeout is declared dead between two"
                    + " heartbeats. Keep 'timeout' at least twice 'heartbeatInterval', as the defaults (500 ms and"
                    + " 1000 ms) do.";
            if (timeoutSet && !heartbeatIntervalSet) {
                return "Option 'timeout' = " + timeout.toMillis() + " ms must be longer than 'heartbeatInterval',"
                        + " which is " + heartbeatInterval.toMillis() + " ms (its default)" + why;
            }
            if (heartbeatIntervalSet && !timeoutSet) {
                return "Option 'heartbeatInterval' = " + heartbeatInterval.toMillis() + " ms must be shorter than"
                        + " 'timeout', which is " + timeout.toMillis() + " ms (its default)" + why;
            }
            return "Option 'heartbeatInterval' = " + heartbeatInterval.toMillis() + " ms must be shorter than option"
                    + " 'timeout' = " + timeout.toMillis() + " ms" + why;
        }

        private static void requireOption(String option, Object value) {
            if (value == null) {
                throw new IllegalArgumentException("Option '" + option + "' must not be null.");
            }
        }

        private static void positive(String option, Duration value) {
            requireOption(option, value);
            if (value.isNegative() || value.toMillis() < 1) {
                throw new IllegalArgumentException("Option '" + option + "' = " + value + " must be at least 1 ms.");
            }
        }

        private static String abbreviate(String value) {
            return value.length() <= 40 ? value : value.substring(0, 40) + "...";
        }

        private static String defaultNodeId() {
            String port = System.getenv("PORT");
            String suffix = port != null && !port.isBlank() ? port.trim() : Long.toString(ProcessHandle.current().pid());
            return hostName() + ":" + suffix;
        }

        private static String hostName() {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) {
                return env.trim();
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "localhost";
            }
        }
    }
}
