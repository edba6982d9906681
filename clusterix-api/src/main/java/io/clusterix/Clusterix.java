package io.clusterix;

import io.clusterix.internal.DefaultNodeId;
import io.clusterix.internal.Engine;
import io.clusterix.internal.EngineOptions;
import io.clusterix.internal.Threads;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
 *       returned by this class complete on clusterix's own callback threads, never on the listener executor, so a
 *       listener may wait for one ({@code cluster.nodes().join()}) whatever its executor.</li>
 *   <li>A node-down listener that does not return within {@code handlerTimeout} (default 30 s) does not hold the
 *       death for ever: it is reported to {@link #onError} listeners and the death is handed to a survivor
 *       again.</li>
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
    /** Default {@code handlerTimeout}: 30 s. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = EngineOptions.DEFAULT_HANDLER_TIMEOUT;
    /** Longest accepted node id, in characters. */
    public static final int MAX_NODE_ID_LENGTH = EngineOptions.MAX_NODE_ID_LENGTH;

    private final Engine engine;

    private Clusterix(Engine engine) {
        this.engine = engine;
    }

    /**
     * Starts a builder for a node that stores heartbeats through the given Redis client. The backend is the first
     * {@link io.clusterix.spi.HeartbeatStoreProvider} found by {@link java.util.ServiceLoader} that supports the
     * client (add {@code clusterix-jedis}, {@code clusterix-lettuce} or {@code clusterix-redisson}). All instances
     * built from the same client object share one store (with Lettuce: one connection). clusterix never closes this
     * client; a connection it opens from it is closed when the last instance using it is disposed.
     *
     * <p>A {@link io.clusterix.spi.HeartbeatStore} may be passed instead of a client (a store of your own, or a
     * backend's store built with tuned settings, e.g. {@code new JedisHeartbeatStore(client, executor, 8)}). It stays
     * the caller's: {@link #dispose()} does not close it, so one store may serve many instances.
     *
     * @param redisClient a supported Redis client object, or a {@link io.clusterix.spi.HeartbeatStore}
     * @return a new builder
     */
    public static Builder builder(Object redisClient) {
        return new Builder(Objects.requireNonNull(redisClient, "redisClient"));
    }

    /** @return this node's id */
    public String nodeId() {
        return engine.options().nodeId();
    }

    /** @return the cluster id ({@code ""} for the default cluster) */
    public String id() {
        return engine.options().keys().clusterId();
    }

    /** @return the Redis keys of this cluster */
    public ClusterKeys keys() {
        return engine.options().keys();
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
        return engine.incarnation();
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
        return engine.listeners().onNodeDown(listener);
    }

    /**
     * Registers a listener for this node's eviction (see {@link EvictionEvent}).
     *
     * @param listener called on the listener executor
     * @return the registration; close it to remove the listener
     */
    public Registration onEvicted(Consumer<? super EvictionEvent> listener) {
        return engine.listeners().onEvicted(listener);
    }

    /**
     * Registers a listener for background failures: heartbeats or polls that failed or timed out, listeners that
     * threw. They are logged through SLF4J as well; they never throw into the application.
     *
     * @param listener called on the listener executor
     * @return the registration; close it to remove the listener
     */
    public Registration onError(Consumer<? super Throwable> listener) {
        return engine.listeners().onError(listener);
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
        return engine.listeners().onConnectionStateChanged(listener);
    }

    /**
     * Registers a listener for the round trip of each heartbeat that got a reply, for a metrics timer (see
     * {@link HeartbeatTiming}). About one event per {@code heartbeatInterval}; failed heartbeats go to
     * {@link #onError} instead.
     *
     * @param listener called on the listener executor, one event at a time; keep it cheap
     * @return the registration; close it to remove the listener
     */
    public Registration onHeartbeat(Consumer<? super HeartbeatTiming> listener) {
        return engine.listeners().onHeartbeat(listener);
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
        return engine.initializeNode();
    }

    /**
     * The ids of the live nodes of this cluster, this node included once it joined: those whose last heartbeat is at
     * most {@code timeout} old by Redis server time. Entries of dead nodes that no poll removed yet are not listed.
     *
     * @return a future of the ids, sorted, unmodifiable
     */
    public CompletableFuture<Set<String>> nodes() {
        return engine.nodes();
    }

    /**
     * Stops heartbeats and polls, like a crash as far as the other nodes can tell: one of them reports this node
     * down once its heartbeat is older than {@code timeout}. An unfinished {@link #initializeNode()} fails with a
     * {@link ClusterixException}; no timer is left running. Connections clusterix opened are closed; the
     * application's Redis client is not. Idempotent.
     */
    public void dispose() {
        engine.dispose();
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
        engine.close();
    }

    /**
     * Registers a listener for membership changes: every member gets every change (a join, a metadata update, a
     * leave, a timed-out death), in the same numbered order, each once, within about one {@code heartbeatInterval}
     * of its being written. News for everyone, where {@link #onNodeDown} is a duty for one handler. Changes a node
     * could not read (history trimmed, or lost with data Redis lost) arrive as differences marked
     * {@link MembershipEvent#resync()}.
     *
     * @param listener called on the listener executor, one event at a time, in version order
     * @return the registration; close it to remove the listener
     * @throws IllegalStateException if this node keeps no view ({@link Builder#membershipView(boolean)})
     */
    public Registration onMembershipChanged(Consumer<? super MembershipEvent> listener) {
        if (!engine.options().membershipView()) {
            throw new IllegalStateException("Node '" + nodeId() + "' keeps no membership view (membershipView(false)):"
                    + " it receives no membership changes. Build it without membershipView(false) to listen to them.");
        }
        return engine.listeners().onMembershipChanged(listener);
    }

    /**
     * The last membership view this node applied: local, no Redis call. After {@link #initializeNode()} completes it
     * holds every live member, this node included; it moves with every change this node's heartbeats bring back.
     *
     * @return the view; {@link MembershipView#empty()} before this node first joined
     */
    public MembershipView view() {
        return engine.view();
    }

    /**
     * Whether this member's heartbeats have not got through for {@code timeout} ({@link ConnectionState#SUSPENDED}
     * until {@link ConnectionState#RECONNECTED}): other nodes may be declaring it dead. Local, no Redis call.
     *
     * @return true while a member is suspended; false while connected, and while not a member
     */
    public boolean isSuspended() {
        return engine.isSuspended();
    }

    /**
     * Whether this node leads: it is the oldest member of its view (the same one in every member's view at a given
     * version; it changes only when the leader leaves or times out) and its connection is not
     * {@link ConnectionState#SUSPENDED} (others may be declaring it dead: stop leading work until RECONNECTED, as
     * Curator advises LeaderLatch users). Use {@link #incarnation()} as the fencing token of the leadership.
     *
     * @return true if this node is the leader now
     */
    public boolean isLeader() {
        return engine.isLeader();
    }

    /**
     * Replaces this member's metadata: every member gets {@link MembershipEvent.Type#UPDATED}. Checked as
     * {@link Builder#metadata(Map)} is.
     *
     * @param metadata the new metadata
     * @return completes once it is written in Redis; for a node that is not a member, at once (it is published with
     *         its next join); fails with a {@link ClusterixException} if Redis fails
     * @throws IllegalArgumentException naming the key and the size if the metadata is not acceptable
     */
    public CompletableFuture<Void> updateMetadata(Map<String, String> metadata) {
        return engine.updateMetadata(metadata);
    }

    @Override
    public String toString() {
        return engine.toString();
    }

    // Why the builder is nested, in a file past the size the project aims at: Clusterix.Builder is public API (issue 11
    // fixed `Clusterix.builder(client).nodeId(...).metadata(...)`), the option checks live in internal.EngineOptions,
    // and what remains here is one documented setter per option (about 270 of this file's lines are Javadoc).
    /**
     * Configures a {@link Clusterix}. Every option is checked by {@link #build()}, which names the option and the
     * value it rejects.
     */
    public static final class Builder {
        private final Object client;
        /** The options the application set: an error blames one of them rather than a default. */
        private final Set<String> set = new HashSet<>();
        private String id = "";
        private String nodeId;
        private Supplier<String> defaultNodeId = DefaultNodeId::get;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Executor listenerExecutor = Threads.callbacks();
        private EvictionPolicy evictionPolicy = EvictionPolicy.REJOIN;
        private boolean leaveOnShutdown = true;
        private Duration handlerTimeout = DEFAULT_HANDLER_TIMEOUT;
        private Map<String, String> metadata = Map.of();
        private boolean membershipView = true;

        private Builder(Object client) {
            this.client = client;
        }

        /**
         * @param id the cluster id; nodes with the same id and key prefix form one cluster. Default {@code ""}. At
         *           most 128 characters, no {@code {} or {@code }}.
         * @return this builder
         */
        public Builder id(String id) {
            this.id = id;
            set.add("id");
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
            set.add("nodeId");
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
            set.add("keyPrefix");
            return this;
        }

        /**
         * @param heartbeatInterval how often this node writes its heartbeat; shorter than {@code timeout}.
         *                          Default 500 ms.
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            set.add("heartbeatInterval");
            return this;
        }

        /**
         * @param pollInterval how often this node looks for dead nodes. A poll due within half a heartbeat interval
         *                     of a heartbeat is sent in the same call. Default 500 ms.
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            set.add("pollInterval");
            return this;
        }

        /**
         * @param timeout how long after its last heartbeat (by Redis server time) a node is considered down. Also
         *                the longest this node waits for one Redis reply. Default 1000 ms.
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            set.add("timeout");
            return this;
        }

        /**
         * @param listenerExecutor runs listeners. Default: a shared, unbounded pool of daemon threads named
         *                         {@code clusterix-callback-N}. Each listener still sees one event at a time, in
         *                         order. Any executor works, a single thread or one that runs tasks on the calling
         *                         thread included: clusterix hands tasks to it from its callback pool, never from the
         *                         scheduler thread that sends heartbeats, and completes the futures it returns on
         *                         its callback pool, so a listener that waits for one does not deadlock its
         *                         executor.
         * @return this builder
         */
        public Builder listenerExecutor(Executor listenerExecutor) {
            this.listenerExecutor = listenerExecutor;
            set.add("listenerExecutor");
            return this;
        }

        /**
         * @param evictionPolicy what to do after an eviction; default {@link EvictionPolicy#REJOIN}
         * @return this builder
         */
        public Builder evictionPolicy(EvictionPolicy evictionPolicy) {
            this.evictionPolicy = evictionPolicy;
            set.add("evictionPolicy");
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
            set.add("leaveOnShutdown");
            return this;
        }

        /**
         * @param handlerTimeout how long the node-down listeners of one death may run. While they run, this node's
         *                       heartbeats renew its claim on the death; past this bound, the death is reported to
         *                       {@link Clusterix#onError} listeners, its claim is no longer renewed, and it is handed
         *                       to a survivor again once the claim lapses ({@code timeout} later), with a higher
         *                       {@link NodeDownEvent#delivery()}. Longer than {@code timeout}. Default 30 s, or twice
         *                       {@code timeout} if that is longer.
         * @return this builder
         */
        public Builder handlerTimeout(Duration handlerTimeout) {
            this.handlerTimeout = handlerTimeout;
            set.add("handlerTimeout");
            return this;
        }

        /**
         * @param metadata what this member publishes to every member with its join, e.g. {@code host} and
         *                 {@code port} for routing: string keys (non-empty) and values, at most 4,096 bytes in all
         *                 (UTF-8). Every member's {@link MembershipView} holds it; {@link Clusterix#updateMetadata}
         *                 replaces it. Default: none.
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            set.add("metadata");
            return this;
        }

        /**
         * @param membershipView true (the default) to keep a membership view; false for a node that only takes its
         *                       share of node-down duties (one of thousands of workers): its heartbeats ask for no
         *                       changes, its {@link Clusterix#view()} stays empty, it never leads and
         *                       {@link Clusterix#onMembershipChanged} refuses listeners. It is still a member in
         *                       every other node's view, with its metadata.
         * @return this builder
         */
        public Builder membershipView(boolean membershipView) {
            this.membershipView = membershipView;
            return this;
        }

        /** For tests: where the default node id comes from. */
        Builder defaultNodeId(Supplier<String> source) {
            this.defaultNodeId = source;
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
            // The default node id may take a host-name lookup: only for a builder that was given no node id.
            String node = set.contains("nodeId") ? nodeId : defaultNodeId.get();
            EngineOptions options = EngineOptions.check(set, id, node, keyPrefix, heartbeatInterval, pollInterval,
                    timeout, listenerExecutor, evictionPolicy, leaveOnShutdown, handlerTimeout, metadata, membershipView);
            return new Clusterix(Engine.create(options, client));
        }
    }
}
