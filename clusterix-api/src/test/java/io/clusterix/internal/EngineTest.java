package io.clusterix.internal;

import io.clusterix.ClusterixException;
import io.clusterix.ConnectionState;
import io.clusterix.DuplicateNodeException;
import io.clusterix.EvictionEvent;
import io.clusterix.EvictionPolicy;
import io.clusterix.EvictionReason;
import io.clusterix.HeartbeatTiming;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The engine alone, on {@link ManualTime} and a {@link ScriptedStore}: no Redis, no wall clock. Heartbeat interval,
 * poll interval 500 ms, timeout 1 s, as the defaults.
 */
class EngineTest {
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofMillis(1000);

    private final ManualTime time = new ManualTime();
    private final ScriptedStore store = new ScriptedStore();
    private final List<ExecutorService> pools = new ArrayList<>();

    @AfterEach
    void stopPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    private Engine engine(Executor listenerExecutor, Executor callbacks) {
        EngineOptions options = EngineOptions.check(Set.of("nodeId"), "", "n", "test", INTERVAL, INTERVAL, TIMEOUT,
                listenerExecutor, EvictionPolicy.REJOIN, false, Duration.ofSeconds(30), java.util.Map.of(), true);
        return new Engine(options, store, () -> { }, time, time, callbacks);
    }

    private Engine engine() {
        return engine(Runnable::run, Runnable::run);
    }

    private ExecutorService pool() {
        ExecutorService pool = Executors.newCachedThreadPool();
        pools.add(pool);
        return pool;
    }

    /** Joins as incarnation 7. */
    private Engine member(Engine engine) {
        CompletableFuture<Void> joined = engine.initializeNode();
        time.run();
        store.<io.clusterix.spi.JoinResult>last("join").reply.complete(ScriptedStore.joined(7));
        time.run();
        await().atMost(Duration.ofSeconds(5)).until(joined::isDone);
        joined.join();
        assertEquals(7, engine.incarnation());
        return engine;
    }

    private ScriptedStore.Call<HeartbeatResult> nextHeartbeat() {
        long before = store.count("heartbeat");
        for (int i = 0; i < 100 && store.count("heartbeat") == before; i++) {
            time.advance(Duration.ofMillis(10));
        }
        assertEquals(before + 1, store.count("heartbeat"), "one heartbeat per interval");
        return store.last("heartbeat");
    }

    @Test
    void aMemberHeartbeatsEveryIntervalAndEachHeartbeatCarriesAPoll() {
        member(engine());

        ScriptedStore.Call<HeartbeatResult> first = nextHeartbeat();
        first.reply.complete(ScriptedStore.ok());
        time.run();
        time.advance(Duration.ofMillis(499));
        assertEquals(1, store.count("heartbeat"), "not before the interval is over");
        time.advance(Duration.ofMillis(11));

        assertEquals(2, store.count("heartbeat"));
        assertEquals(Heartbeater.REAP_LIMIT, store.last("heartbeat").heartbeat().reapLimit(),
                "a poll due with the heartbeat rides in its call");
        assertEquals(7, store.last("heartbeat").heartbeat().incarnation());
    }

    /** A late join reply (a join storm, a cold JVM) must not leave the entry it wrote unrenewed for longer. */
    @Test
    void theFirstHeartbeatIsDueOneIntervalAfterTheJoinWentOutNotAfterItsLateReply() {
        Engine engine = engine();
        engine.initializeNode();
        time.run();
        time.advance(Duration.ofMillis(400));
        store.<io.clusterix.spi.JoinResult>last("join").reply.complete(ScriptedStore.joined(7));
        time.run();
        time.advance(Duration.ofMillis(90));
        assertEquals(0, store.count("heartbeat"), "not before one interval after the join went out");
        time.advance(Duration.ofMillis(20));
        assertEquals(1, store.count("heartbeat"), "one interval after the join went out: 110 ms after its reply");
    }

    @Test
    void eachHeartbeatReplyReportsItsRoundTripAndAFailedHeartbeatReportsNone() {
        Engine engine = member(engine());
        List<HeartbeatTiming> timings = new ArrayList<>();
        engine.listeners().onHeartbeat(timings::add);
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        store.onHeartbeat(heartbeat -> sentAt.add(time.nanoTime()));

        ScriptedStore.Call<HeartbeatResult> first = nextHeartbeat();
        time.advance(Duration.ofMillis(37));
        long firstReply = time.nanoTime();
        first.reply.complete(ScriptedStore.ok());
        time.run();
        assertEquals(List.of(new HeartbeatTiming(firstReply - sentAt.get(0))), timings,
                "from the call to its reply, by the ticker");
        assertTrue(timings.get(0).roundTrip().toMillis() >= 37, timings.get(0).toString());

        nextHeartbeat().reply.completeExceptionally(new ClusterixException("refused"));
        time.run();
        ScriptedStore.Call<HeartbeatResult> third = nextHeartbeat();
        long thirdReply = time.nanoTime();
        third.reply.complete(ScriptedStore.ok());
        time.run();

        assertEquals(2, timings.size(), "a failed heartbeat has no round trip");
        assertEquals(thirdReply - sentAt.get(2), timings.get(1).roundTripNanos());
    }

    @Test
    void anIdWhoseHeartbeatKeepsAdvancingIsALiveDuplicate() {
        Engine engine = engine();
        CompletableFuture<Void> joined = engine.initializeNode();
        time.run();
        store.<io.clusterix.spi.JoinResult>last("join").reply.complete(ScriptedStore.live(900));
        time.run();
        time.advance(Duration.ofMillis(700));
        assertEquals(2, store.count("join"), "looked again once its owner should have heartbeated");
        store.<io.clusterix.spi.JoinResult>last("join").reply.complete(ScriptedStore.live(1_400));
        time.run();

        assertTrue(joined.isCompletedExceptionally());
        Throwable failure = joined.handle((ok, e) -> StoreCalls.unwrap(e)).join();
        assertInstanceOf(DuplicateNodeException.class, failure);
    }

    @Test
    void aRejoinNeverStartsAfterDispose() {
        ArrayDeque<Runnable> listenerTasks = new ArrayDeque<>();
        Engine engine = member(engine(listenerTasks::add, Runnable::run));
        List<EvictionEvent> evictions = new ArrayList<>();
        engine.listeners().onEvicted(evictions::add);
        nextHeartbeat().reply.complete(ScriptedStore.declaredDead());
        time.run();
        assertEquals(1, listenerTasks.size(), "the eviction listener is queued, not run yet");

        engine.dispose();
        listenerTasks.forEach(Runnable::run);
        time.run();
        time.advance(Duration.ofSeconds(5));

        assertEquals(List.of(new EvictionEvent("", "n", 7, EvictionReason.DECLARED_DEAD)), evictions);
        assertEquals(1, store.count("join"), "disposed while the eviction listeners ran: no join for a new"
                + " incarnation that nobody would run");
    }

    @Test
    void aLeaveWaitsForTheHeartbeatThatIsBeingSentWhenCloseStarts() {
        Engine engine = member(engine());
        List<CompletableFuture<Void>> leaving = new CopyOnWriteArrayList<>();
        // close() begins while the heartbeat call is on its way to the store.
        store.onHeartbeat(heartbeat -> leaving.add(engine.leave()));
        ScriptedStore.Call<HeartbeatResult> inFlight = nextHeartbeat();
        time.run();
        assertEquals(1, leaving.size());
        assertEquals(0, store.count("leave"), "the leave must not overtake the heartbeat in flight, whose late"
                + " arrival would score the left entry again");

        inFlight.reply.complete(ScriptedStore.ok());
        time.run();

        assertEquals(1, store.count("leave"));
        assertEquals(List.of("join", "heartbeat", "leave"), store.calls().stream().map(c -> c.op).toList());
    }

    @Test
    void connectionStateGoesSuspendedAfterTimeoutWithoutRepliesThenReconnected() {
        List<ConnectionState> states = new ArrayList<>();
        Engine engine = member(engine());
        engine.listeners().onConnectionStateChanged(states::add);
        assertFalse(engine.isSuspended());

        nextHeartbeat(); // never answered: it times out
        time.advance(TIMEOUT);

        assertEquals(List.of(ConnectionState.SUSPENDED), states);
        assertTrue(engine.isSuspended());
        nextHeartbeat().reply.complete(ScriptedStore.ok());
        time.run();
        assertEquals(List.of(ConnectionState.SUSPENDED, ConnectionState.RECONNECTED), states);
        assertFalse(engine.isSuspended());
        engine.dispose();
        assertFalse(engine.isSuspended(), "not a member: not suspended");
    }

    @Test
    void aNodeDownListenerThatNeverReturnsGivesTheDeathUpAfterHandlerTimeout() {
        ArrayDeque<Runnable> neverRun = new ArrayDeque<>();
        Engine engine = member(engine(neverRun::add, Runnable::run));
        engine.listeners().onNodeDown(down -> { });
        List<Throwable> errors = new ArrayList<>();
        engine.listeners().onError(errors::add);
        nextHeartbeat().reply.complete(ScriptedStore.ok(new NodeDownEvent("", "dead", 3, NodeDownReason.TIMED_OUT, 1)));
        time.run();
        nextHeartbeat().reply.complete(ScriptedStore.ok());
        time.run();
        assertEquals(Set.of(3L), store.last("heartbeat").heartbeat().handling(), "renewed while its listener runs");

        for (int i = 0; i < 62; i++) { // 31 s of heartbeats: past the 30 s handlerTimeout
            nextHeartbeat().reply.complete(ScriptedStore.ok());
            time.run();
        }

        Heartbeat latest = store.last("heartbeat").heartbeat();
        assertEquals(Set.of(), latest.handling(), "no longer renewed: the claim lapses and a survivor gets it again");
        assertEquals(Set.of(), latest.handled(), "nor released: it was not handled");
        assertEquals(2, neverRun.size(), "the stuck node-down listener, then the onError report queued behind it");
        neverRun.removeFirst();
        neverRun.removeFirst().run();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).getMessage().contains("longer than handlerTimeout (30000 ms) on the death of"
                + " incarnation 3"), errors.get(0).getMessage());
    }

    @Test
    void theDeathOfATakenOverPredecessorIsRenewedWhileItsListenerRunsAndReleasedWhenItReturns() {
        ArrayDeque<Runnable> listenerTasks = new ArrayDeque<>();
        Engine engine = engine(listenerTasks::add, Runnable::run);
        List<NodeDownEvent> told = new ArrayList<>();
        engine.listeners().onNodeDown(told::add);
        CompletableFuture<Void> joined = engine.initializeNode();
        time.run();
        store.<io.clusterix.spi.JoinResult>last("join").reply.complete(ScriptedStore.tookOver(8, 3));
        time.run();

        nextHeartbeat().reply.complete(ScriptedStore.ok());
        time.run();
        assertEquals(Set.of(3L), store.last("heartbeat").heartbeat().handling(),
                "the join's claim is renewed like a heartbeat's while the listener has not returned");
        assertTrue(!joined.isDone(), "initializeNode completes after this node's listeners were told");

        listenerTasks.removeFirst().run();
        time.run();
        ScriptedStore.Call<HeartbeatResult> after = nextHeartbeat();

        assertEquals(List.of(new NodeDownEvent("", "n", 3, NodeDownReason.TIMED_OUT, 1)), told);
        assertEquals(Set.of(3L), after.heartbeat().handled(), "released once handled");
        assertEquals(Set.of(), after.heartbeat().handling());
        assertTrue(joined.isDone());
    }

    @Test
    void aListenerExecutorThatRunsOnTheCallingThreadNeverRunsListenersOnTheScheduler() {
        ExecutorService callbacks = pool();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> listenerThreads = new CopyOnWriteArrayList<>();
        Engine engine = member(engine(Runnable::run, callbacks));
        engine.listeners().onNodeDown(down -> {
            listenerThreads.add(Thread.currentThread());
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            nextHeartbeat().reply.complete(ScriptedStore.ok(new NodeDownEvent("", "d", 3, NodeDownReason.LEFT, 1)));
            time.run();
            await().atMost(Duration.ofSeconds(5)).until(() -> listenerThreads.size() == 1);
            nextHeartbeat().reply.complete(ScriptedStore.ok());
            time.run();
            nextHeartbeat();
        }, "a blocked listener stalled the scheduler");
        release.countDown();
        assertNotEquals(Thread.currentThread(), listenerThreads.get(0), "the scheduler is the test's thread here");
    }

    @Test
    void aListenerOnASingleThreadExecutorMayWaitForTheFuturesOfClusterix() {
        ExecutorService single = Executors.newSingleThreadExecutor();
        pools.add(single);
        Engine engine = member(engine(single, pool()));
        store.answerNodes(Set.of("n"));
        CompletableFuture<Set<String>> seen = new CompletableFuture<>();
        engine.listeners().onNodeDown(down -> seen.complete(engine.nodes().join()));

        nextHeartbeat().reply.complete(ScriptedStore.ok(new NodeDownEvent("", "d", 3, NodeDownReason.LEFT, 1)));
        time.run();

        assertEquals(Set.of("n"), seen.orTimeout(5, TimeUnit.SECONDS).join(), "nodes().join() inside the listener"
                + " must not wait for the listener's own thread");
    }

    @Test
    void initializeNodeTwiceAndAfterDisposeFailWithIllegalStateAndDisposeStopsEveryTimer() {
        Engine engine = member(engine());
        assertInstanceOf(IllegalStateException.class, engine.initializeNode().handle((ok, e) -> e).join());
        engine.dispose();
        assertInstanceOf(IllegalStateException.class, engine.initializeNode().handle((ok, e) -> e).join());
        assertEquals(0, engine.incarnation());
        long calls = store.calls().size();
        time.advance(Duration.ofSeconds(5));
        assertEquals(calls, store.calls().size(), "nothing runs after dispose()");
    }

    @Test
    void aFailedJoinLeavesNothingRunningAndMayBeRepeated() {
        Engine engine = engine();
        CompletableFuture<Void> first = engine.initializeNode();
        time.run();
        store.last("join").reply.completeExceptionally(new ClusterixException("refused"));
        time.run();
        assertEquals("refused", first.handle((ok, e) -> StoreCalls.unwrap(e).getMessage()).join());
        time.advance(Duration.ofSeconds(5));
        assertEquals(1, store.calls().size(), "no timer left running");

        member(engine);
    }
}
