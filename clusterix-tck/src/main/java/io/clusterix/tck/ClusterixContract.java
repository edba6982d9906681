package io.clusterix.tck;

import io.clusterix.Clusterix;
import io.clusterix.ClusterixException;
import io.clusterix.ConnectionState;
import io.clusterix.DuplicateNodeException;
import io.clusterix.EvictionEvent;
import io.clusterix.EvictionPolicy;
import io.clusterix.EvictionReason;
import io.clusterix.HeartbeatTiming;
import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.MembershipView;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RedisTopology;
import io.clusterix.fixture.RespConnection;
import io.clusterix.fixture.TlsRedis;
import io.clusterix.spi.HeartbeatStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's contract ({@link Clusterix}) over the backend, with real Redis and in-process nodes: a node that is
 * {@link Clusterix#dispose() disposed} stops heartbeating exactly as a crashed process would. Includes every case of
 * the Node clusterix suite. Timing: heartbeat and poll every {@value #INTERVAL_MS} ms, timeout {@value #TIMEOUT_MS}
 * ms, so that a loaded 2-core CI machine has six heartbeats of slack before a false "node down".
 */
public abstract class ClusterixContract extends BackendContract {
    /** Heartbeat and poll interval of test nodes. */
    protected static final long INTERVAL_MS = 100;
    /** Timeout of test nodes. */
    protected static final long TIMEOUT_MS = 600;
    /** Longest wait for anything eventual. */
    protected static final Duration PATIENCE = Duration.ofSeconds(15);
    /** How long "nothing more happens" is watched: longer than a timeout plus several polls. */
    protected static final Duration QUIET = Duration.ofMillis(3 * TIMEOUT_MS);

    /** Collects events of every node of a test, with the thread each was delivered on. */
    protected static final class Recorder<T> implements Consumer<T> {
        final List<T> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void accept(T event) {
            threads.add(Thread.currentThread().getName());
            events.add(event);
        }

        int size() {
            return events.size();
        }
    }

    /**
     * @param nodeId the node id
     * @return a builder for a test node over this test class's client, prefix and test timing
     */
    protected Clusterix.Builder builder(String nodeId) {
        return Clusterix.builder(client.client()).keyPrefix(prefix).nodeId(nodeId)
                .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).pollInterval(Duration.ofMillis(INTERVAL_MS))
                .timeout(Duration.ofMillis(TIMEOUT_MS));
    }

    /**
     * @param builder a configured builder
     * @return the built node, disposed after the test (not yet initialized)
     */
    protected Clusterix node(Clusterix.Builder builder) {
        Clusterix node = builder.build();
        closeAfterTest(node::dispose);
        return node;
    }

    /**
     * @param nodeId    the node id
     * @param nodeDowns where its "node down" events go
     * @return a joined node
     */
    protected Clusterix joined(String nodeId, Recorder<NodeDownEvent> nodeDowns) {
        Clusterix node = node(builder(nodeId));
        node.onNodeDown(nodeDowns);
        join(node.initializeNode());
        return node;
    }

    private static <T> T join(CompletableFuture<T> future) {
        return future.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        CompletionException failure = assertThrows(CompletionException.class, () -> join(future));
        return failure.getCause();
    }

    @Test
    void aThreeNodeClusterListsAllThree() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Clusterix node1 = joined("node1", downs);
        joined("node2", downs);
        Clusterix node3 = joined("node3", downs);

        assertEquals(Set.of("node1", "node2", "node3"), join(node1.nodes()));
        assertEquals(Set.of("node1", "node2", "node3"), join(node3.nodes()));
        assertEquals(List.of(), downs.events);
    }

    @Test
    void aLiveDuplicateIdIsRejectedAndTheLiveNodeIsUndisturbed() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Recorder<EvictionEvent> evictions = new Recorder<>();
        Clusterix live = joined("dup", downs);
        live.onEvicted(evictions);
        long incarnation = live.incarnation();

        Clusterix second = node(builder("dup"));
        second.onNodeDown(downs);
        CompletableFuture<Void> init = second.initializeNode();

        // The bound of the contract is timeout + heartbeatInterval; the extra second absorbs a loaded CI machine.
        await().atMost(Duration.ofMillis(TIMEOUT_MS + INTERVAL_MS + 1000)).until(init::isDone);
        Throwable duplicate = failureOf(init);
        assertInstanceOf(DuplicateNodeException.class, duplicate);
        assertTrue(duplicate.getMessage().contains("in cluster " + live.keys() + ":"), duplicate.getMessage());
        assertEquals(incarnation, live.incarnation());
        assertEquals(Long.toString(incarnation), resp.string("HGET", live.keys().owners(), "dup"));
        await().during(QUIET).atMost(PATIENCE).until(() -> join(live.nodes()).equals(Set.of("dup")));
        assertEquals(List.of(), evictions.events);
        assertEquals(List.of(), downs.events);
    }

    @Test
    void anOwnStaleEntryGivesNodeDownForItselfOnceBeforeInitializeCompletes() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Clusterix crashed = joined("phoenix", new Recorder<>());
        long oldIncarnation = crashed.incarnation();
        crashed.dispose();

        Clusterix restarted = node(builder("phoenix"));
        restarted.onNodeDown(downs);
        join(restarted.initializeNode());

        assertEquals(List.of(new NodeDownEvent("", "phoenix", oldIncarnation, NodeDownReason.TIMED_OUT, 1)),
                downs.events, "delivered before initializeNode() completed");
        assertTrue(restarted.incarnation() > oldIncarnation);
        await().during(QUIET).atMost(PATIENCE).until(() -> downs.size() == 1);
        assertEquals(Set.of("phoenix"), join(restarted.nodes()));
    }

    @Test
    void aDeadNodeIsReportedExactlyOnceAndLeavesNodes() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Clusterix node1 = joined("node1", downs);
        joined("node2", downs);
        Clusterix node3 = joined("node3", downs);
        long incarnation = node3.incarnation();

        node3.dispose();

        await().atMost(PATIENCE).until(() -> downs.size() >= 1);
        await().during(QUIET).atMost(PATIENCE).until(() -> downs.size() == 1);
        assertEquals(new NodeDownEvent("", "node3", incarnation, NodeDownReason.TIMED_OUT, 1), downs.events.get(0));
        assertEquals(Set.of("node1", "node2"), join(node1.nodes()));
    }

    @Test
    void exactlyOneOfTenConcurrentSurvivorsReportsADeath() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        List<Clusterix> survivors = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            survivors.add(joined("survivor-" + i, downs));
        }
        Clusterix victim = joined("victim", downs);

        victim.dispose();

        await().atMost(PATIENCE).until(() -> downs.size() >= 1);
        await().during(QUIET).atMost(PATIENCE).until(() -> downs.size() == 1);
        assertEquals("victim", downs.events.get(0).nodeId());
        assertEquals(10, join(survivors.get(0).nodes()).size());
    }

    @Test
    void staleEntriesAreNotListedEvenBeforeAnyPollRemovesThem() {
        Clusterix observer = node(builder("observer").pollInterval(Duration.ofHours(1)));
        join(observer.initializeNode());
        Clusterix doomed = joined("doomed", new Recorder<>());

        doomed.dispose();

        await().atMost(PATIENCE).until(() -> join(observer.nodes()).equals(Set.of("observer")));
        assertNotNull(resp.call("ZSCORE", observer.keys().heartbeats(), "doomed"), "the entry is still there");
    }

    @Test
    void disposeDuringInitializeFailsItAndLeavesNoTimerRunning() {
        Clusterix live = joined("busy", new Recorder<>());
        Clusterix waiting = node(builder("busy"));
        CompletableFuture<Void> init = waiting.initializeNode();

        waiting.dispose();

        assertInstanceOf(ClusterixException.class, failureOf(init));
        long liveIncarnation = live.incarnation();
        live.dispose();
        // Had a timer survived, "waiting" would now take over the stale id.
        await().during(QUIET).atMost(PATIENCE).until(() ->
                Long.toString(liveIncarnation).equals(resp.string("HGET", live.keys().owners(), "busy")));
    }

    @Test
    void manyEnginesShareOneClient() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        List<Clusterix> nodes = IntStream.range(0, 20).mapToObj(i -> joined("shared-" + i, downs))
                .collect(Collectors.toList());
        Set<String> all = nodes.stream().map(Clusterix::nodeId).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(all, join(nodes.get(0).nodes()));

        nodes.get(7).dispose();

        await().atMost(PATIENCE).until(() -> downs.size() >= 1);
        await().during(QUIET).atMost(PATIENCE).until(() -> downs.size() == 1);
        assertEquals("shared-7", downs.events.get(0).nodeId());
    }

    @Test
    void disposeAndCloseNeverCloseTheApplicationsClient() {
        Clusterix crashed = joined("first", new Recorder<>());
        crashed.dispose();
        Clusterix left = joined("second", new Recorder<>());
        left.close();

        Clusterix after = joined("third", new Recorder<>());
        Set<String> live = join(after.nodes());
        assertTrue(live.contains("third") && !live.contains("second"), live.toString());
    }

    @Test
    void optionsAreCheckedAtBuildAndTheErrorNamesTheOptionAndValue() {
        assertRejected("heartbeatInterval", b -> b.heartbeatInterval(Duration.ofMillis(TIMEOUT_MS)));
        assertRejected("heartbeatInterval", b -> b.heartbeatInterval(Duration.ofMillis(TIMEOUT_MS + 1)));
        assertRejected("heartbeatInterval", b -> b.heartbeatInterval(Duration.ofMillis(-5)));
        assertRejected("pollInterval", b -> b.pollInterval(Duration.ZERO));
        assertRejected("timeout", b -> b.timeout(null));
        assertRejected("nodeId", b -> b.nodeId(""));
        assertRejected("nodeId", b -> b.nodeId("x".repeat(Clusterix.MAX_NODE_ID_LENGTH + 1)));
        assertRejected("id", b -> b.id("a{b"));
        assertRejected("keyPrefix", b -> b.keyPrefix("app}"));
        assertRejected("keyPrefix", b -> b.keyPrefix(""));
    }

    @Test
    void aTimeoutAloneBelowTheDefaultHeartbeatIntervalBlamesTheTimeoutAndNamesTheDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Clusterix.builder(client.client()).nodeId("n").timeout(Duration.ofMillis(400)).build());

        assertTrue(e.getMessage().startsWith("Option 'timeout' = 400 ms must be longer than 'heartbeatInterval',"
                + " which is 500 ms (its default)"), e.getMessage());
    }

    private void assertRejected(String option, Consumer<Clusterix.Builder> misconfigure) {
        Clusterix.Builder builder = builder("n");
        misconfigure.accept(builder);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains("'" + option + "'"), e.getMessage());
    }

    @Test
    void anEmptyIdAndAGivenIdMapToTheDocumentedKeys() {
        join(node(builder("a")).initializeNode());
        join(node(builder("a").id("orders")).initializeNode());

        String empty = "{" + prefix + "}";
        String given = "{" + prefix + ":orders}";
        assertEquals(List.of(given + ":clock", given + ":heartbeats", given + ":history", given + ":incarnations",
                given + ":metadata", given + ":owners", empty + ":clock", empty + ":heartbeats", empty + ":history",
                empty + ":incarnations", empty + ":metadata", empty + ":owners"),
                keysOfThisTest());
        assertEquals(List.of("a"), resp.call("ZRANGE", empty + ":heartbeats", "0", "-1"));
        assertEquals(List.of("a"), resp.call("ZRANGE", given + ":heartbeats", "0", "-1"));
    }

    @Test
    void listenersRunOnClusterixThreadsAndAThrowingOrBlockingListenerDelaysNothing() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Recorder<Throwable> errors = new Recorder<>();
        Recorder<EvictionEvent> evictions = new Recorder<>();
        CountDownLatch release = new CountDownLatch(1);
        Clusterix survivor = node(builder("survivor"));
        survivor.onNodeDown(e -> {
            throw new IllegalStateException("listener bug");
        });
        survivor.onNodeDown(e -> {
            try {
                release.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        survivor.onNodeDown(downs);
        survivor.onError(errors);
        survivor.onEvicted(evictions);
        join(survivor.initializeNode());
        try {
            joined("first", new Recorder<>()).dispose();
            joined("second", new Recorder<>()).dispose();

            await().atMost(PATIENCE).until(() -> downs.size() == 2);
            assertTrue(downs.threads.stream().allMatch(t -> t.startsWith("clusterix-callback-")), downs.threads.toString());
            await().atMost(PATIENCE).until(() -> errors.events.stream()
                    .anyMatch(e -> "listener bug".equals(e.getMessage())));
            // The blocked listener still holds its thread; heartbeats go on: the survivor stays a member.
            await().during(QUIET).atMost(PATIENCE).until(() -> join(survivor.nodes()).equals(Set.of("survivor")));
            assertEquals(List.of(), evictions.events);
        } finally {
            release.countDown();
        }
    }

    @Test
    void backgroundFailuresGoToOnErrorAndTheNodeRecovers() {
        Recorder<Throwable> errors = new Recorder<>();
        Clusterix node = node(builder("fragile"));
        node.onError(errors);
        join(node.initializeNode());
        String heartbeats = node.keys().heartbeats();
        long incarnation = node.incarnation();

        resp.call("DEL", heartbeats);
        resp.call("SET", heartbeats, "clobbered by another program");
        await().atMost(PATIENCE).until(() -> errors.events.stream().anyMatch(e -> e instanceof ClusterixException
                && e.getMessage().contains(heartbeats) && e.getMessage().contains("WRONGTYPE")));
        assertEquals("clobbered by another program", resp.string("GET", heartbeats));

        resp.call("DEL", heartbeats);
        await().atMost(PATIENCE).until(() -> join(node.nodes()).equals(Set.of("fragile")));
        assertEquals(incarnation, node.incarnation());
    }

    @Test
    void closeLeavesGracefullySoOneSurvivorHearsOfItWithinAPoll() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Duration longTimeout = Duration.ofSeconds(30);
        Clusterix stays = node(builder("stays").timeout(longTimeout));
        stays.onNodeDown(downs);
        join(stays.initializeNode());
        Clusterix goes = node(builder("goes").timeout(longTimeout));
        goes.onNodeDown(downs);
        join(goes.initializeNode());
        long incarnation = goes.incarnation();

        goes.close();

        // Far sooner than the 30 s timeout: the next poll of the survivor claims the departure.
        await().atMost(Duration.ofSeconds(5)).until(() -> downs.size() == 1);
        assertEquals(new NodeDownEvent("", "goes", incarnation, NodeDownReason.LEFT, 1), downs.events.get(0));
        assertEquals(Set.of("stays"), join(stays.nodes()));
        assertEquals(0, goes.incarnation());
    }

    @Test
    void eachHeartbeatThatGotAReplyReportsItsRoundTripOnAListenerThread() {
        Recorder<HeartbeatTiming> timings = new Recorder<>();
        Clusterix node = node(builder("timed"));
        node.onHeartbeat(timings);
        join(node.initializeNode());

        await().atMost(PATIENCE).until(() -> timings.size() >= 3);
        for (HeartbeatTiming timing : timings.events) {
            assertTrue(timing.roundTripNanos() > 0 && timing.roundTrip().toMillis() < TIMEOUT_MS,
                    "a real call takes some time, and a reply later than timeout is a failure: " + timing);
        }
        assertTrue(timings.threads.stream().allMatch(name -> name.startsWith("clusterix-callback-")),
                "on the listener executor: " + timings.threads);
        node.dispose();
        int stopped = timings.size();
        await().during(QUIET).atMost(PATIENCE).until(() -> timings.size() <= stopped + 1);
    }

    @Test
    void anEvictedNodeIsToldAndRejoinsAsAHigherIncarnation() {
        Recorder<EvictionEvent> evictions = new Recorder<>();
        Clusterix node = node(builder("zombie"));
        node.onEvicted(evictions);
        join(node.initializeNode());
        long lost = node.incarnation();

        declareDead(node);

        await().atMost(PATIENCE).until(() -> evictions.size() == 1);
        assertEquals(new EvictionEvent("", "zombie", lost, EvictionReason.DECLARED_DEAD), evictions.events.get(0));
        await().atMost(PATIENCE).until(() -> node.incarnation() > lost);
        assertEquals(Long.toString(node.incarnation()), resp.string("HGET", node.keys().owners(), "zombie"));
    }

    @Test
    void withEvictionPolicyStopAnEvictedNodeStopsHeartbeating() {
        Recorder<EvictionEvent> evictions = new Recorder<>();
        Clusterix node = node(builder("quitter").evictionPolicy(EvictionPolicy.STOP));
        node.onEvicted(evictions);
        join(node.initializeNode());

        declareDead(node);

        await().atMost(PATIENCE).until(() -> evictions.size() == 1);
        assertEquals(0, node.incarnation());
        await().during(QUIET).atMost(PATIENCE).until(() ->
                resp.call("ZSCORE", node.keys().heartbeats(), "quitter") == null);
        assertNull(resp.call("HGET", node.keys().owners(), "quitter"));
    }

    /** Removes the node's entry as a survivor's poll does after a long pause of that node. */
    private void declareDead(Clusterix node) {
        assertEquals(1L, resp.call("ZREM", node.keys().heartbeats(), node.nodeId()));
        assertEquals(1L, resp.call("HDEL", node.keys().owners(), node.nodeId()));
    }

    @Test
    void connectionStateGoesSuspendedThenReconnectedOrLostAsTheServerSays() {
        Recorder<ConnectionState> states = new Recorder<>();
        Recorder<EvictionEvent> evictions = new Recorder<>();
        Clusterix node = node(builder("flaky"));
        node.onConnectionStateChanged(states);
        node.onEvicted(evictions);
        join(node.initializeNode());
        String heartbeats = node.keys().heartbeats();

        resp.call("DEL", heartbeats);
        resp.call("SET", heartbeats, "heartbeats now fail with WRONGTYPE");
        await().atMost(PATIENCE).until(() -> states.events.equals(List.of(ConnectionState.SUSPENDED)));
        resp.call("DEL", heartbeats);
        await().atMost(PATIENCE).until(() -> states.size() == 2);
        assertEquals(List.of(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED), states.events);

        resp.call("DEL", heartbeats);
        resp.call("SET", heartbeats, "fail again");
        await().atMost(PATIENCE).until(() -> states.size() == 3);
        // In one step (no heartbeat may get through between them): the key works again, and meanwhile a survivor
        // declared the node dead.
        resp.call("EVAL", "redis.call('DEL', KEYS[1]) redis.call('HDEL', KEYS[2], ARGV[1]) return 1", "2", heartbeats,
                node.keys().owners(), "flaky");
        await().atMost(PATIENCE).until(() -> states.size() == 4);
        assertEquals(List.of(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED, ConnectionState.SUSPENDED,
                ConnectionState.LOST), states.events);
        await().atMost(PATIENCE).until(() -> evictions.size() == 1);
    }

    @Test
    void aDeathIsHandledAgainByAnotherNodeWhenItsHandlerDiesMidway() {
        CountDownLatch handlerStarted = new CountDownLatch(1);
        CountDownLatch neverReleased = new CountDownLatch(1);
        Clusterix handler = node(builder("handler"));
        handler.onNodeDown(down -> {
            handlerStarted.countDown();
            try {
                neverReleased.await(); // cleanup that is still running when this node dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        join(handler.initializeNode());
        Clusterix victim = joined("victim", new Recorder<>());
        long victimIncarnation = victim.incarnation();
        victim.dispose();
        try {
            await().atMost(PATIENCE).until(() -> handlerStarted.getCount() == 0);
            Recorder<NodeDownEvent> downs = new Recorder<>();
            Clusterix backup = joined("backup", downs);
            // While the handler lives, its heartbeats renew the claim: nobody else handles the death.
            await().during(QUIET).atMost(PATIENCE).until(() -> downs.size() == 0);

            handler.dispose(); // dies in the middle of its listener

            // The backup also outlives the handler itself: it reports that death too, in either order.
            NodeDownEvent again = new NodeDownEvent("", "victim", victimIncarnation, NodeDownReason.TIMED_OUT, 2);
            await().atMost(PATIENCE).until(() -> downs.events.contains(again));
            await().during(QUIET).atMost(PATIENCE).until(() ->
                    downs.events.stream().filter(e -> e.nodeId().equals("victim")).count() == 1);
            await().atMost(PATIENCE).until(() -> resp.integer("ZCARD", backup.keys().claims()) == 0);
        } finally {
            neverReleased.countDown();
        }
    }

    @Test
    void aRedisStallLongerThanTheTimeoutDeclaresNoLiveNodeDead() {
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Recorder<EvictionEvent> evictions = new Recorder<>();
        List<Clusterix> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Clusterix node = joined("steady-" + i, downs);
            node.onEvicted(evictions);
            nodes.add(node);
        }

        // Every client's commands wait for 3 timeouts; the server's clock runs on.
        resp.call("CLIENT", "PAUSE", Long.toString(3 * TIMEOUT_MS), "ALL");

        await().atMost(PATIENCE).until(() -> join(nodes.get(0).nodes()).size() == 3);
        await().during(QUIET).atMost(PATIENCE).until(() -> downs.size() == 0 && evictions.size() == 0
                && join(nodes.get(1).nodes()).size() == 3);
        Clusterix gone = nodes.get(2);
        gone.dispose();
        await().atMost(PATIENCE).until(() -> downs.size() == 1);
        assertEquals("steady-2", downs.events.get(0).nodeId());
    }

    /**
     * The least privileges clusterix needs, as the README states them (after {@code ACL SETUSER <user> on
     * >password}): its script and the commands the script runs, on its own keys only.
     */
    public static final List<String> ACL_RULES = List.of("resetkeys", "~{%s*", "resetchannels", "-@all", "+evalsha",
            "+eval", "+script|load", "+time", "+type", "+get", "+set", "+zadd", "+zrem", "+zscore", "+zcard", "+zrange",
            "+zrangebyscore", "+hget", "+hmget", "+hgetall", "+hset", "+hdel", "+hlen", "+ping");

    /**
     * Extra rights a client needs on the data nodes of a topology beyond {@link #ACL_RULES}: under Redis Cluster, to
     * read the slot map ({@code CLUSTER SLOTS} for Jedis, {@code CLUSTER NODES} for Lettuce and Redisson, and
     * {@code INFO} for Lettuce's topology refresh). None for a standalone server, nor under Sentinel: the client asks
     * the Sentinels (which have users of their own) where the master is, then runs only clusterix's commands on it.
     * (Clients also send {@code CLIENT SETINFO}, Redisson {@code READONLY} to replicas: denied, and ignored by them.)
     *
     * @param kind the topology
     * @return the extra rules, in {@code ACL SETUSER} syntax
     */
    public static List<String> topologyAclRules(RedisTopology.Kind kind) {
        return kind == RedisTopology.Kind.CLUSTER ? CLUSTER_ACL_RULES : List.of();
    }

    /** What a Redis Cluster client needs besides {@link #ACL_RULES}; see {@link #topologyAclRules}. */
    public static final List<String> CLUSTER_ACL_RULES = List.of("+cluster|slots", "+cluster|nodes", "+info");

    /**
     * A client of the backend for a deployment. Standalone: exactly {@link TckBackend#client(RedisEndpoint)}. Sentinel
     * and Cluster clients may contact the servers while they are built (Jedis does, to find the master or the slots):
     * if building one fails, the calling test is aborted with the client's exception, as clusterix never sees it.
     */
    private TckBackend.TestClient clientFor(RedisTopology topology) {
        if (topology.kind() == RedisTopology.Kind.STANDALONE) {
            return closeAfterTest(backend().client(topology.endpoint()));
        }
        try {
            return closeAfterTest(backend().client(topology));
        } catch (RuntimeException e) {
            if (e instanceof org.opentest4j.TestAbortedException) {
                throw e;
            }
            org.junit.jupiter.api.Assumptions.abort("the " + backend().name() + " " + topology.kind() + " client"
                    + " cannot even be built for " + topology + " (" + e + "): the failure never reaches clusterix");
            throw e;
        }
    }

    @Test
    void aCrashAfterAGapInWhichNoMemberWasAliveIsReportedAtTheNormalTimeout() {
        Clusterix first = joined("first", new Recorder<>());
        String clock = first.keys().clock();
        first.close();
        // Then nobody wrote for 10 s (written, not waited for): every node of the cluster was gone.
        resp.call("HSET", clock, "seen", Long.toString(resp.serverTimeMillis() - 10_000));
        Recorder<NodeDownEvent> downs = new Recorder<>();
        joined("a", downs);
        Clusterix b = joined("b", downs);
        await().atMost(PATIENCE).until(() -> downs.events.stream().anyMatch(d -> d.nodeId().equals("first")));

        b.dispose();

        // The gap started an outage grace, which protects only entries written before it: b joined after it, and its
        // crash is reported within about the timeout, not after the grace (timeout + the gap's 10 s).
        await().atMost(Duration.ofMillis(TIMEOUT_MS + 2_000))
                .until(() -> downs.events.stream().anyMatch(d -> d.nodeId().equals("b")));
        assertEquals(NodeDownReason.TIMED_OUT, downs.events.stream().filter(d -> d.nodeId().equals("b"))
                .findFirst().orElseThrow().reason());
    }

    /** A node with a recorder of the membership events it applies. */
    private Clusterix member(String nodeId, Map<String, String> metadata, Recorder<MembershipEvent> changes) {
        Clusterix node = node(builder(nodeId).metadata(metadata));
        node.onMembershipChanged(changes);
        join(node.initializeNode());
        return node;
    }

    private static Set<String> ids(MembershipView view) {
        return view.members().stream().map(Member::nodeId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Versions applied in order, without gaps or repeats, after the version the node's join produced. */
    private static void assertConsecutive(long joinedAt, Recorder<MembershipEvent> changes) {
        long expected = joinedAt + 1;
        for (MembershipEvent event : changes.events) {
            assertFalse(event.resync(), event.toString());
            assertEquals(expected++, event.version(), "versions in order without gaps: " + changes.events);
        }
    }

    @Test
    void everyMemberAppliesEveryChangeOnceInOrderAndViewsAreIdenticalAtEveryVersion() {
        Recorder<MembershipEvent> aChanges = new Recorder<>();
        Recorder<MembershipEvent> bChanges = new Recorder<>();
        Recorder<MembershipEvent> cChanges = new Recorder<>();
        Clusterix a = member("a", Map.of("port", "8081"), aChanges);
        long aJoined = a.view().version();
        Clusterix b = member("b", Map.of("port", "8082"), bChanges);
        long bJoined = b.view().version();
        assertEquals(Set.of("a", "b"), ids(b.view()), "when initializeNode() completes, the view holds every member");
        Clusterix c = member("c", Map.of("port", "8083"), cChanges);
        long cJoined = c.view().version();

        join(c.updateMetadata(Map.of("port", "9093", "zone", "east")));
        b.close();
        Clusterix d = member("d", Map.of(), new Recorder<>());
        d.dispose();

        await().atMost(PATIENCE).until(() -> aChanges.events.stream().anyMatch(e -> e.member().nodeId().equals("d")
                && e.type() == MembershipEvent.Type.TIMED_OUT));
        long last = a.view().version();
        await().atMost(PATIENCE).until(() -> c.view().version() == last);
        assertConsecutive(aJoined, aChanges);
        assertConsecutive(cJoined, cChanges);
        assertEquals(List.of(MembershipEvent.Type.JOINED, MembershipEvent.Type.JOINED, MembershipEvent.Type.UPDATED,
                MembershipEvent.Type.LEFT, MembershipEvent.Type.JOINED, MembershipEvent.Type.TIMED_OUT),
                aChanges.events.stream().map(MembershipEvent::type).collect(Collectors.toList()));
        for (MembershipEvent seenByC : cChanges.events) {
            MembershipEvent seenByA = aChanges.events.stream().filter(e -> e.version() == seenByC.version())
                    .findFirst().orElseThrow();
            assertEquals(seenByA, seenByC, "the same change and the same view at version " + seenByC.version());
        }
        assertEquals(a.view(), c.view());
        assertEquals(Set.of("a", "c"), ids(a.view()));
        assertEquals(Map.of("port", "9093", "zone", "east"), a.view().member("c").orElseThrow().metadata());
        assertTrue(bChanges.events.stream().allMatch(e -> e.version() > bJoined));
    }

    @Test
    void aNodeWithoutAViewIsInEveryViewAndTakesDutiesButHearsNoChanges() {
        Recorder<MembershipEvent> changes = new Recorder<>();
        Clusterix watcher = member("watcher", Map.of(), changes);
        Clusterix worker = node(builder("worker").metadata(Map.of("role", "worker")).membershipView(false));
        assertThrows(IllegalStateException.class, () -> worker.onMembershipChanged(e -> { }));
        Recorder<NodeDownEvent> downs = new Recorder<>();
        worker.onNodeDown(downs);
        join(worker.initializeNode());

        await().atMost(PATIENCE).until(() -> watcher.view().member("worker").isPresent());
        assertEquals(Map.of("role", "worker"), watcher.view().member("worker").orElseThrow().metadata());
        assertEquals(MembershipView.empty(), worker.view(), "it keeps no view");
        assertFalse(worker.isLeader());

        Clusterix doomed = member("doomed", Map.of(), new Recorder<>());
        watcher.close(); // the worker is the only survivor left to take the next death
        doomed.dispose();
        await().atMost(PATIENCE).until(() -> downs.events.stream().anyMatch(d -> d.nodeId().equals("doomed")));
        assertEquals(MembershipView.empty(), worker.view());
    }

    @Test
    void theLeaderIsTheOldestMemberAndLeadsOnlyWhileItsConnectionIsNotSuspended() {
        Recorder<MembershipEvent> changes = new Recorder<>();
        Recorder<ConnectionState> states = new Recorder<>();
        Clusterix oldest = member("oldest", Map.of(), new Recorder<>());
        oldest.onConnectionStateChanged(states);
        Clusterix younger = member("younger", Map.of(), changes);

        assertEquals("oldest", younger.view().leader().orElseThrow().nodeId());
        assertEquals(oldest.incarnation(), younger.view().leader().orElseThrow().incarnation(),
                "the leader's incarnation is the fencing token of its leadership");
        assertTrue(oldest.isLeader());
        assertFalse(younger.isLeader());

        String heartbeats = oldest.keys().heartbeats();
        resp.call("DEL", heartbeats);
        resp.call("SET", heartbeats, "heartbeats fail with WRONGTYPE");
        await().atMost(PATIENCE).until(() -> states.events.contains(ConnectionState.SUSPENDED));
        assertFalse(oldest.isLeader(), "a leader whose connection is SUSPENDED does not lead");
        resp.call("DEL", heartbeats);
        await().atMost(PATIENCE).until(() -> states.events.contains(ConnectionState.RECONNECTED));
        await().atMost(PATIENCE).until(oldest::isLeader);

        oldest.close();
        await().atMost(PATIENCE).until(younger::isLeader);
        assertEquals(MembershipEvent.Type.LEFT, changes.events.get(changes.size() - 1).type());
        assertEquals("younger", younger.view().leader().orElseThrow().nodeId());
    }

    @Test
    void aTakeoverOfADeadPredecessorsIdIsItsTimedOutThenTheNewJoinedForEveryMember() {
        Recorder<MembershipEvent> changes = new Recorder<>();
        Clusterix watcher = member("watcher", Map.of(), changes);
        Clusterix crashed = member("phoenix", Map.of("v", "1"), new Recorder<>());
        long old = crashed.incarnation();
        crashed.dispose();
        // Whether the watcher's poll or the restart claims the death first, it is one TIMED_OUT then one JOINED.
        Clusterix restarted = member("phoenix", Map.of("v", "2"), new Recorder<>());

        await().atMost(PATIENCE).until(() -> watcher.view().version() == restarted.view().version());
        List<MembershipEvent> phoenix = changes.events.stream().filter(e -> e.member().nodeId().equals("phoenix"))
                .collect(Collectors.toList());
        assertEquals(List.of(MembershipEvent.Type.JOINED, MembershipEvent.Type.TIMED_OUT,
                MembershipEvent.Type.JOINED), phoenix.stream().map(MembershipEvent::type).collect(Collectors.toList()));
        assertEquals(old, phoenix.get(1).member().incarnation());
        assertEquals(restarted.incarnation(), phoenix.get(2).member().incarnation());
        assertEquals(Map.of("v", "2"), watcher.view().member("phoenix").orElseThrow().metadata());
    }

    @Test
    void afterRedisLostTheClustersKeysEveryMemberResyncsToTheSameViewAboveEveryEarlierVersion() {
        Recorder<MembershipEvent> aChanges = new Recorder<>();
        Recorder<MembershipEvent> bChanges = new Recorder<>();
        Clusterix a = member("a", Map.of("k", "a"), aChanges);
        Clusterix b = member("b", Map.of("k", "b"), bChanges);
        await().atMost(PATIENCE).until(() -> a.view().version() == b.view().version());
        long before = a.view().version();

        // A restart without persistence, as far as this cluster can tell: all its keys are gone at once.
        List<String> del = new ArrayList<>(List.of("DEL"));
        del.addAll(a.keys().all());
        resp.call(del.toArray(new String[0]));

        await().atMost(PATIENCE).until(() -> aChanges.events.stream().anyMatch(MembershipEvent::resync)
                && bChanges.events.stream().anyMatch(MembershipEvent::resync));
        await().atMost(PATIENCE).until(() -> a.view().equals(b.view()) && ids(a.view()).equals(Set.of("a", "b"))
                && a.view().member("a").orElseThrow().metadata().equals(Map.of("k", "a"))
                && a.view().member("b").orElseThrow().metadata().equals(Map.of("k", "b")));
        assertTrue(a.view().version() > before, "the history goes on above every version used before");
        for (Recorder<MembershipEvent> changes : List.of(aChanges, bChanges)) {
            long previous = 0;
            for (MembershipEvent event : changes.events) {
                assertTrue(event.version() >= previous, "never back: " + changes.events);
                assertTrue(event.resync() || event.version() > previous, "never a version twice: " + changes.events);
                previous = event.version();
            }
        }
    }

    @Test
    void metadataIsCheckedAndTheErrorNamesTheKeyAndTheSize() {
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> builder("n").metadata(Map.of("blob", "x".repeat(5_000))).build());
        assertTrue(tooBig.getMessage().contains("'blob'") && tooBig.getMessage().contains("5004 bytes")
                && tooBig.getMessage().contains("4096"), tooBig.getMessage());
        Clusterix node = member("n", Map.of(), new Recorder<>());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> node.updateMetadata(Map.of("", "v")));
        assertTrue(empty.getMessage().startsWith("updateMetadata(): metadata key '' is empty"), empty.getMessage());
    }

    @Test
    void initializeNodeFailsWithTheCauseWhenRedisIsUnreachableAndLeavesNoTimer() {
        RedisTopology nowhere = deployment.unreachable();
        int port = nowhere.seeds().get(0).port();
        TckBackend.TestClient unreachable = clientFor(nowhere);
        Clusterix node = node(Clusterix.builder(unreachable.client()).keyPrefix(prefix).nodeId("lonely")
                .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).timeout(Duration.ofMillis(TIMEOUT_MS)));

        Throwable failure = failureOf(node.initializeNode());

        assertInstanceOf(ClusterixException.class, failure);
        assertTrue(failure.getMessage().contains("'join' of node 'lonely' in cluster " + node.keys())
                && failure.getMessage().contains("reachable"), failure.getMessage());
        assertNotNull(failure.getCause());
        assertOneMessage(failure);
        // Had a timer survived, this node would join once a server listens on that port.
        try (RedisServerProcess late = RedisServerProcess.start(port);
             RespConnection raw = new RespConnection(late.endpoint())) {
            await().during(QUIET).atMost(PATIENCE).until(() -> ((List<?>) raw.call("KEYS", "*")).isEmpty());
        }
    }

    @Test
    void aWrongPasswordFailsInitializeNodeWithAClearMessage() {
        if (deployment.kind() == RedisTopology.Kind.STANDALONE) {
            try (RedisServerProcess secured = RedisServerProcess.start("--requirepass", "s3cret")) {
                RedisTopology server = RedisTopology.standalone(secured.endpoint());
                wrongThenRightPassword(server.withCredentials(null, "not-the-password"),
                        server.withCredentials(null, "s3cret"));
            }
            return;
        }
        // A shared Sentinel or Cluster deployment keeps its default user open for the other tests: a user of its own.
        String user = prefix + "-pw";
        resp.call("ACL", "SETUSER", user, "on", ">s3cret", "~*", "&*", "+@all");
        try {
            wrongThenRightPassword(deployment.withCredentials(user, "not-the-password"),
                    deployment.withCredentials(user, "s3cret"));
        } finally {
            resp.call("ACL", "DELUSER", user);
        }
    }

    private void wrongThenRightPassword(RedisTopology wrongPassword, RedisTopology rightPassword) {
        TckBackend.TestClient wrong = clientFor(wrongPassword);
        Clusterix refused = node(Clusterix.builder(wrong.client()).keyPrefix(prefix).nodeId("refused"));

        Throwable failure = failureOf(refused.initializeNode());

        assertInstanceOf(ClusterixException.class, failure);
        assertTrue(failure.getMessage().contains("credentials"), failure.getMessage());
        assertOneMessage(failure);
        TckBackend.TestClient right = clientFor(rightPassword);
        join(node(Clusterix.builder(right.client()).keyPrefix(prefix).nodeId("welcome")).initializeNode());
    }

    @Test
    void aLeastPrivilegeAclUserWorksAndAUserWithoutThoseRightsGetsAClearError() {
        String user = prefix + "-acl";
        String stingy = prefix + "-stingy";
        List<String> rules = new ArrayList<>(List.of("ACL", "SETUSER", user, "on", ">pw"));
        ACL_RULES.forEach(rule -> rules.add(String.format(rule, prefix)));
        rules.addAll(topologyAclRules(deployment.kind()));
        resp.call(rules.toArray(new String[0]));
        List<String> stingyRules = new ArrayList<>(List.of("ACL", "SETUSER", stingy, "on", ">pw", "resetkeys",
                "~{" + prefix + "*", "-@all", "+evalsha", "+eval", "+ping"));
        // The stingy user may discover the topology; it lacks only what clusterix's script runs.
        stingyRules.addAll(topologyAclRules(deployment.kind()));
        resp.call(stingyRules.toArray(new String[0]));
        try {
            TckBackend.TestClient least = clientFor(deployment.withCredentials(user, "pw"));
            Recorder<NodeDownEvent> downs = new Recorder<>();
            Clusterix a = node(Clusterix.builder(least.client()).keyPrefix(prefix).nodeId("a")
                    .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).pollInterval(Duration.ofMillis(INTERVAL_MS))
                    .timeout(Duration.ofMillis(TIMEOUT_MS)));
            a.onNodeDown(downs);
            join(a.initializeNode());
            joined("b", new Recorder<>()).close();
            await().atMost(PATIENCE).until(() -> downs.size() == 1);
            assertEquals(Set.of("a"), join(a.nodes()));

            TckBackend.TestClient denied = clientFor(deployment.withCredentials(stingy, "pw"));
            Throwable failure = failureOf(node(Clusterix.builder(denied.client()).keyPrefix(prefix).nodeId("c"))
                    .initializeNode());
            assertTrue(failure.getMessage().contains("lacks a permission clusterix needs (ACL)"), failure.getMessage());
            assertOneMessage(failure);
        } finally {
            resp.call("ACL", "DELUSER", user, stingy);
        }
    }

    /**
     * One message per failure: the text appears once down the cause chain (clusterix does not wrap its own exception
     * again; below it is the client's exception), in sentences without doubled periods.
     */
    private static void assertOneMessage(Throwable failure) {
        assertTrue(!failure.getMessage().contains("..") && !failure.getMessage().contains(". ."), failure.getMessage());
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            assertTrue(!(cause instanceof ClusterixException), "a clusterix exception wraps another: " + failure);
            assertTrue(cause.getMessage() == null || !cause.getMessage().equals(failure.getMessage()),
                    "the cause repeats the message: " + failure);
        }
    }

    @Test
    void aTlsConnectionWorks() {
        assumeStandalone("the case starts a TLS-only standalone server of its own; TLS to Sentinel or Cluster nodes"
                + " is configured on the client exactly as for one server");
        TlsRedis tls;
        try {
            tls = closeAfterTest(TlsRedis.start());
        } catch (TlsRedis.TlsUnsupportedException e) {
            tls = Assumptions.abort(e.getMessage()); // the TLS case applies only where the binary has TLS
        }
        TckBackend.TestClient secure = closeAfterTest(
                backend().tlsClient(tls.endpoint(), tls.truststore(), TlsRedis.TRUSTSTORE_PASSWORD));
        Recorder<NodeDownEvent> downs = new Recorder<>();
        Clusterix stays = node(Clusterix.builder(secure.client()).keyPrefix(prefix).nodeId("stays")
                .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).pollInterval(Duration.ofMillis(INTERVAL_MS))
                .timeout(Duration.ofMillis(TIMEOUT_MS)));
        stays.onNodeDown(downs);
        join(stays.initializeNode());
        Clusterix goes = node(Clusterix.builder(secure.client()).keyPrefix(prefix).nodeId("goes"));
        join(goes.initializeNode());
        assertEquals(Set.of("goes", "stays"), join(stays.nodes()));

        goes.close();

        await().atMost(PATIENCE).until(() -> downs.size() == 1);
        assertEquals(NodeDownReason.LEFT, downs.events.get(0).reason());
    }

    @Test
    void anUnsupportedClientIsRejectedWithTheClassTheProvidersAndTheArtifacts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Clusterix.builder(new StringBuilder("not a redis client")).build());

        assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
        assertTrue(e.getMessage().contains(backend().name() + " ("), e.getMessage());
        assertTrue(e.getMessage().contains("clusterix-" + backend().name()), e.getMessage());
    }

    @Test
    void aNearMissClientIsRejectedWithAHintOfWhatToPassInstead() {
        assumeStandalone("near misses are client types, not topologies");
        List<TckBackend.NearMiss> nearMisses = backend().nearMisses(RedisFixture.redis());
        nearMisses.forEach(miss -> closeAfterTest(miss.client()));
        assertTrue(!nearMisses.isEmpty());

        for (TckBackend.NearMiss miss : nearMisses) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Clusterix.builder(miss.client().client()).build(), miss.client().kind());
            assertTrue(e.getMessage().contains(miss.advice()), miss.client().kind() + ": " + e.getMessage());
            assertTrue(e.getMessage().indexOf(miss.advice()) < e.getMessage().indexOf("Providers found"),
                    "the hint comes before the list of providers: " + e.getMessage());
        }
    }
}
