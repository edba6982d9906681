package io.clusterix.tck;

import io.clusterix.ClusterKeys;
import io.clusterix.Clusterix;
import io.clusterix.ConnectionState;
import io.clusterix.EvictionEvent;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.fixture.LocalRedisCluster;
import io.clusterix.fixture.LocalRedisSentinel;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RedisTopology;
import io.clusterix.fixture.RespConnection;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What holds only on replicated topologies, run by each backend with its Cluster and Sentinel clients:
 * <ul>
 *   <li>on Redis Cluster, all keys of one cluster id share one slot, and many cluster ids spread over slots and
 *       masters;</li>
 *   <li>failover, on a Sentinel deployment and on a Redis Cluster started for each case: while ten nodes run, the
 *       master is replaced ({@code SENTINEL FAILOVER} / {@code CLUSTER FAILOVER} on the replica, or SIGKILL of the
 *       master after its replica stopped receiving writes). No node is declared dead, none is evicted, a node
 *       whose join the new master never received is restored by its next heartbeat, and a node disposed after the
 *       failover is still reported, exactly once.</li>
 * </ul>
 * Each failover case prints its figures and appends them to {@code target/failover-figures.md} of the module.
 */
public abstract class TopologyContract extends BackendContract {
    /** Heartbeat and poll interval of the failover nodes. */
    protected static final long INTERVAL_MS = 100;
    /** Timeout of the failover nodes. */
    protected static final long TIMEOUT_MS = 1000;
    /** Nodes running through each failover. */
    protected static final int NODES = 10;
    /** Longest wait for anything eventual. */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);
    /** How long "nothing more happens" is watched: three timeouts. */
    protected static final Duration QUIET = Duration.ofMillis(3 * TIMEOUT_MS);

    /** The shared Redis Cluster: the slot-placement case runs on it; failover cases start their own. */
    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.CLUSTER;
    }

    @Test
    void theKeysOfOneClusterIdShareOneSlotAndClusterIdsSpreadOverSlotsAndMasters() {
        LocalRedisCluster cluster = RedisFixture.cluster();
        List<Clusterix> nodes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Clusterix node = Clusterix.builder(client.client()).keyPrefix(prefix).id("orders-" + i).nodeId("n")
                    .build();
            closeAfterTest(node::dispose);
            nodes.add(node);
        }
        CompletableFuture.allOf(nodes.stream().map(Clusterix::initializeNode).toArray(CompletableFuture[]::new))
                .orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();

        Set<Integer> slots = new TreeSet<>();
        Set<RedisEndpoint> masters = new HashSet<>();
        for (Clusterix node : nodes) {
            ClusterKeys keys = node.keys();
            Set<Integer> own = keys.all().stream().map(LocalRedisCluster::slot).collect(Collectors.toSet());
            assertEquals(1, own.size(), "every key of cluster " + keys + " in one slot: " + keys.all());
            int slot = own.iterator().next();
            LocalRedisCluster.SlotRange range = cluster.rangeOf(keys.heartbeats());
            try (RespConnection master = new RespConnection(range.master())) {
                Set<String> inSlot = new HashSet<>(((List<?>) master.call("CLUSTER", "GETKEYSINSLOT",
                        Integer.toString(slot), "100")).stream().map(Object::toString).collect(Collectors.toList()));
                // The keys a join writes are all there, on the master that serves the slot, and nowhere else.
                assertTrue(inSlot.containsAll(List.of(keys.heartbeats(), keys.owners(), keys.incarnations(),
                        keys.clock())), keys + " on " + range.master() + ": " + inSlot);
            }
            slots.add(slot);
            masters.add(range.master());
            assertEquals(Set.of("n"), node.nodes().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
        }
        assertTrue(slots.size() >= 25, "30 cluster ids hash to only " + slots.size() + " slots: " + slots);
        assertEquals(LocalRedisCluster.byMaster(cluster.slots()).keySet(), masters,
                "30 cluster ids are spread over every master");
    }

    @Test
    void aSentinelFailoverCommandCostsNoFalseNodeDown() {
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.start(Duration.ofSeconds(1))) {
            RedisEndpoint master = sentinel.master();
            RedisEndpoint replica = otherThan(master, sentinel.dataNodes());
            run(new Failover("Sentinel", "SENTINEL FAILOVER", sentinel.topology(), replica, false) {
                @Override
                void trigger() {
                    try (RespConnection connection = new RespConnection(sentinel.sentinels().get(0).endpoint())) {
                        assertEquals("OK", connection.string("SENTINEL", "FAILOVER", LocalRedisSentinel.MASTER_NAME));
                    }
                }

                @Override
                void awaitPromoted() {
                    sentinel.awaitMaster(replica, PATIENCE);
                }
            });
        }
    }

    @Test
    void aSentinelMasterKilledAfterItsReplicaFellBehindCostsNoFalseNodeDownAndLostWritesHeal() {
        try (LocalRedisSentinel sentinel = LocalRedisSentinel.start(Duration.ofSeconds(1))) {
            RedisEndpoint master = sentinel.master();
            RedisEndpoint replica = otherThan(master, sentinel.dataNodes());
            run(new Failover("Sentinel", "SIGKILL of the master", sentinel.topology(), replica, true) {
                @Override
                void trigger() {
                    sentinel.dataNode(master).close();
                }

                @Override
                void awaitPromoted() {
                    sentinel.awaitMaster(replica, PATIENCE);
                }
            });
        }
    }

    @Test
    void aClusterFailoverCommandOnTheSlotsReplicaCostsNoFalseNodeDown() {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(3, Duration.ofSeconds(1))) {
            LocalRedisCluster.SlotRange range = cluster.rangeOf("{" + prefix + "}");
            RedisEndpoint replica = range.replicas().get(0);
            run(new Failover("Cluster", "CLUSTER FAILOVER on the slot's replica", cluster.topology(), replica, false) {
                @Override
                void trigger() {
                    try (RespConnection connection = new RespConnection(replica)) {
                        assertEquals("OK", connection.string("CLUSTER", "FAILOVER"));
                    }
                }

                @Override
                void awaitPromoted() {
                    cluster.awaitMasterOf("{" + prefix + "}", replica, PATIENCE);
                }
            });
        }
    }

    @Test
    void aClusterSlotMasterKilledAfterItsReplicaFellBehindCostsNoFalseNodeDownAndLostWritesHeal() {
        try (LocalRedisCluster cluster = LocalRedisCluster.start(3, Duration.ofSeconds(1))) {
            LocalRedisCluster.SlotRange range = cluster.rangeOf("{" + prefix + "}");
            RedisEndpoint replica = range.replicas().get(0);
            run(new Failover("Cluster", "SIGKILL of the slot's master", cluster.topology(), replica, true) {
                @Override
                void trigger() {
                    cluster.node(range.master()).close();
                }

                @Override
                void awaitPromoted() {
                    cluster.awaitMasterOf("{" + prefix + "}", replica, PATIENCE);
                }
            });
        }
    }

    /** One failover case: how to trigger it, and how to see that the replica took over. */
    private abstract static class Failover {
        final String topologyName;
        final String how;
        final RedisTopology topology;
        final RedisEndpoint replica;
        final boolean replicaFallsBehind;

        Failover(String topologyName, String how, RedisTopology topology, RedisEndpoint replica,
                 boolean replicaFallsBehind) {
            this.topologyName = topologyName;
            this.how = how;
            this.topology = topology;
            this.replica = replica;
            this.replicaFallsBehind = replicaFallsBehind;
        }

        abstract void trigger();

        abstract void awaitPromoted();
    }

    private void run(Failover failover) {
        TckBackend.TestClient failoverClient = backend().client(failover.topology);
        WatchedStore store = new WatchedStore(storeFor(failoverClient.client()));
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Recorder<EvictionEvent> evictions = new Recorder<>();
        Recorder<Throwable> errors = new Recorder<>();
        Recorder<ConnectionState> states = new Recorder<>();
        List<Clusterix> nodes = new ArrayList<>();
        try (RespConnection replica = new RespConnection(failover.replica)) {
            int first = failover.replicaFallsBehind ? NODES - 1 : NODES;
            for (int i = 0; i < first; i++) {
                nodes.add(start("node-" + i, store, downs, evictions, errors, states));
            }
            Clusterix observer = nodes.get(0);
            await().atMost(PATIENCE).until(() -> nodes(observer).size() == first);
            String late = "node-" + (NODES - 1);
            long lateIncarnation = 0;
            if (failover.replicaFallsBehind) {
                // The replica stops receiving writes (it cannot authenticate to resynchronize) and the last node
                // joins: the master has its entry, the replica never will.
                if (failover.topology.kind() == RedisTopology.Kind.CLUSTER) {
                    replica.call("READONLY");
                }
                replica.call("CONFIG", "SET", "masterauth", "not-the-masters-password");
                replica.call("CLIENT", "KILL", "TYPE", "master");
                nodes.add(start(late, store, downs, evictions, errors, states));
                lateIncarnation = nodes.get(NODES - 1).incarnation();
                String owners = observer.keys().owners();
                await().during(Duration.ofMillis(5 * INTERVAL_MS)).atMost(PATIENCE)
                        .until(() -> replica.call("HGET", owners, late) == null);
            } else {
                await().during(Duration.ofMillis(5 * INTERVAL_MS)).atMost(PATIENCE)
                        .until(() -> nodes(observer).size() == NODES);
            }
            assertEquals(NODES, nodes(observer).size());

            WriteGapSampler gaps = new WriteGapSampler(failover.replica, observer.keys().heartbeats(),
                    failover.topology.kind() == RedisTopology.Kind.CLUSTER);
            long triggered;
            long promoted;
            long recovered;
            try {
                triggered = System.nanoTime();
                failover.trigger();
                failover.awaitPromoted();
                promoted = System.nanoTime();
                Set<String> ids = nodes.stream().map(Clusterix::nodeId).collect(Collectors.toSet());
                await().atMost(PATIENCE).until(() -> ids.stream().allMatch(id -> store.lastSuccess(id) > promoted));
                recovered = System.nanoTime();
                await().during(QUIET).atMost(PATIENCE.plus(QUIET)).until(() -> nodes(observer).size()
                        + downs.size() >= NODES);
            } finally {
                gaps.stop();
            }
            String lateOwner;
            try (RespConnection newMaster = new RespConnection(failover.replica)) {
                lateOwner = newMaster.string("HGET", observer.keys().owners(), late);
            }
            List<NodeDownEvent> falseDowns = List.copyOf(downs.events);
            List<EvictionEvent> evicted = List.copyOf(evictions.events);
            int errorsThroughFailover = errors.size();
            int suspensions = (int) states.events.stream().filter(s -> s == ConnectionState.SUSPENDED).count();
            int restored = store.restoredByNode.values().stream().mapToInt(AtomicInteger::get).sum();

            // Detection still works: a node disposed now is reported, exactly once.
            Clusterix victim = nodes.get(3);
            long incarnation = victim.incarnation();
            long disposed = System.nanoTime();
            victim.dispose();
            NodeDownEvent expected = new NodeDownEvent("", victim.nodeId(), incarnation,
                    NodeDownReason.TIMED_OUT, 1);
            await().atMost(PATIENCE).until(() -> downs.events.contains(expected));
            long detected = System.nanoTime();
            await().during(QUIET).atMost(PATIENCE.plus(QUIET)).until(() -> downs.size() == falseDowns.size() + 1);

            String version;
            try (RespConnection newMaster = new RespConnection(failover.replica)) {
                version = newMaster.string("INFO", "server").lines().filter(l -> l.startsWith("redis_version:"))
                        .map(l -> l.substring("redis_version:".length()).trim()).findFirst().orElse("?");
            }
            record(failover, version, millis(promoted - triggered), gaps.longestMillis(),
                    millis(recovered - triggered), falseDowns.size(), evicted.size(), restored, store.pending.get(),
                    errorsThroughFailover, suspensions, millis(detected - disposed));

            assertEquals(List.of(), falseDowns, "no node may be declared dead by the failover (the new master saw"
                    + " no heartbeat of this cluster for " + gaps.longestMillis() + " ms; timeout " + TIMEOUT_MS + " ms)");
            assertEquals(List.of(), evicted, "no node may be evicted by the failover");
            if (failover.replicaFallsBehind) {
                assertEquals(Long.toString(lateIncarnation), lateOwner, late + "'s entry, lost with the old master,"
                        + " must be written again for the same incarnation by its heartbeats");
                assertEquals(lateIncarnation, nodes.get(NODES - 1).incarnation(), late + " kept its incarnation");
            }
            assertEquals(List.of(expected), downs.events.subList(falseDowns.size(), downs.size()),
                    "a node disposed after the failover is reported once");
        } finally {
            nodes.forEach(Clusterix::dispose);
            store.delegate.close();
            failoverClient.close();
        }
    }

    private Clusterix start(String nodeId, HeartbeatStore store, Recorder<NodeDownEvent> downs,
                            Recorder<EvictionEvent> evictions, Recorder<Throwable> errors,
                            Recorder<ConnectionState> states) {
        Clusterix node = Clusterix.builder(store).keyPrefix(prefix).nodeId(nodeId)
                .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).pollInterval(Duration.ofMillis(INTERVAL_MS))
                .timeout(Duration.ofMillis(TIMEOUT_MS)).build();
        node.onNodeDown(downs);
        node.onEvicted(evictions);
        node.onError(errors);
        node.onConnectionStateChanged(states);
        node.initializeNode().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
        return node;
    }

    private static Set<String> nodes(Clusterix node) {
        return node.nodes().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static RedisEndpoint otherThan(RedisEndpoint master, List<RedisServerProcess> dataNodes) {
        return dataNodes.stream().map(RedisServerProcess::endpoint).filter(e -> !e.equals(master)).findFirst()
                .orElseThrow();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void record(Failover failover, String version, long promotedMs, long gapMs, long recoveredMs,
                        int falseDowns, int evictions, int restored, int unanswered, int errors, int suspensions,
                        long detectionMs) {
        String row = String.format("| %s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |",
                backend().name(), failover.topologyName, failover.how, version, promotedMs, gapMs, recoveredMs,
                falseDowns, evictions, restored, unanswered, errors, suspensions, detectionMs);
        System.out.println("[clusterix-failover] " + row);
        Path file = Path.of("target", "failover-figures.md");
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, "| backend | topology | failover | Redis | new master after (ms)"
                        + " | no heartbeat on the new master for (ms) | all nodes heartbeating after (ms)"
                        + " | false node down | evictions | RESTORED replies | calls never answered"
                        + " | failed calls (onError) | SUSPENDED | node disposed after it detected in (ms) |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            }
            Files.writeString(file, row + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
    }

    /**
     * Watches the newest heartbeat of the cluster (the highest score of its {@code heartbeats} sorted set: the server
     * time of the last heartbeat of any node) on the replica that becomes the master, every 10 ms: the longest jump is
     * how long the new master saw no heartbeat of the cluster, lost ones included.
     */
    private static final class WriteGapSampler {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long longest;

        WriteGapSampler(RedisEndpoint server, String heartbeatsKey, boolean clusterReplica) {
            thread = new Thread(() -> {
                long previous = -1;
                RespConnection connection = null;
                while (running) {
                    try {
                        if (connection == null) {
                            connection = new RespConnection(server);
                            if (clusterReplica) {
                                connection.call("READONLY");
                            }
                        }
                        List<?> newest = (List<?>) connection.call("ZRANGE", heartbeatsKey, "-1", "-1", "WITHSCORES");
                        if (newest.size() == 2) {
                            long value = Long.parseLong(newest.get(1).toString());
                            if (previous >= 0 && value - previous > longest) {
                                longest = value - previous;
                            }
                            previous = Math.max(previous, value);
                        }
                    } catch (RuntimeException e) {
                        if (connection != null) {
                            connection.close(); // killed by a Sentinel's reconfiguration: connect again
                        }
                        connection = null;
                    }
                    try {
                        Thread.sleep(10); // sampling another process's state
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                if (connection != null) {
                    connection.close();
                }
            }, "clusterix-tck-write-gap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long longestMillis() {
            return longest;
        }

        void stop() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Collects events of every node of a case. */
    private static final class Recorder<T> implements Consumer<T> {
        final List<T> events = new CopyOnWriteArrayList<>();

        @Override
        public void accept(T event) {
            events.add(event);
        }

        int size() {
            return events.size();
        }
    }

    /**
     * The backend's store, watched: when each node last heartbeated successfully, and how many heartbeats the script
     * answered {@code RESTORED} (the entry Redis had lost was written again).
     */
    private static final class WatchedStore implements HeartbeatStore {
        final HeartbeatStore delegate;
        final Map<String, Long> lastSuccess = new ConcurrentHashMap<>();
        final AtomicInteger pending = new AtomicInteger();
        final Map<String, AtomicInteger> restoredByNode = new ConcurrentHashMap<>();

        WatchedStore(HeartbeatStore delegate) {
            this.delegate = delegate;
        }

        long lastSuccess(String nodeId) {
            return lastSuccess.getOrDefault(nodeId, Long.MIN_VALUE);
        }

        int restored(String nodeId) {
            AtomicInteger count = restoredByNode.get(nodeId);
            return count == null ? 0 : count.get();
        }

        @Override
        public CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Map<String, String> metadata,
                                                  Duration timeout) {
            return delegate.join(keys, nodeId, metadata, timeout);
        }

        @Override
        public CompletableFuture<Boolean> updateMetadata(ClusterKeys keys, String nodeId, long incarnation,
                                                         Map<String, String> metadata, Duration timeout) {
            return delegate.updateMetadata(keys, nodeId, incarnation, metadata, timeout);
        }

        @Override
        public CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, Heartbeat heartbeat) {
            pending.incrementAndGet();
            return delegate.heartbeat(keys, heartbeat).whenComplete((result, error) -> {
                pending.decrementAndGet();
                if (result != null && result.member()) {
                    lastSuccess.put(heartbeat.nodeId(), System.nanoTime());
                    if (result.status() == HeartbeatResult.Status.RESTORED) {
                        restoredByNode.computeIfAbsent(heartbeat.nodeId(), id -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }
            });
        }

        @Override
        public CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, long claimer, Duration timeout,
                                                           int limit) {
            return delegate.poll(keys, claimer, timeout, limit);
        }

        @Override
        public CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout) {
            return delegate.nodes(keys, timeout);
        }

        @Override
        public CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation,
                                                Duration timeout) {
            return delegate.leave(keys, nodeId, incarnation, timeout);
        }
    }
}
