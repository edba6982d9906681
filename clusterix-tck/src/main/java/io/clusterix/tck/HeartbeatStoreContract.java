package io.clusterix.tck;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.clusterix.ClusterKeys;
import io.clusterix.ClusterixException;
import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.MembershipView;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RedisTopology;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;
import io.clusterix.spi.MembershipChange;
import io.clusterix.spi.ViewUpdate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link HeartbeatStore} contract, run against a real Redis through the backend's provider. Stale entries are
 * made by writing old server-time scores directly, so no test waits for a timeout to pass.
 */
public abstract class HeartbeatStoreContract extends BackendContract {
    /** The timeout used by store calls in these tests. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    private HeartbeatStore store() {
        return storeFor(client.client());
    }

    private static <T> T get(CompletableFuture<T> future) {
        return future.orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** A plain heartbeat with the epoch Redis currently has for the cluster. */
    private Heartbeat beat(String nodeId, long incarnation, ClusterKeys keys) {
        String epoch = resp.string("HGET", keys.clock(), "epoch");
        return Heartbeat.of(nodeId, incarnation, epoch == null ? "" : epoch, TIMEOUT);
    }

    /** Writes an entry whose last heartbeat is {@code ageMillis} old by server time. */
    private void writeEntry(ClusterKeys keys, String nodeId, long incarnation, long ageMillis) {
        long score = ageMillis < 0 ? 0 : resp.serverTimeMillis() - ageMillis;
        resp.call("ZADD", keys.heartbeats(), Long.toString(score), nodeId);
        resp.call("HSET", keys.owners(), nodeId, Long.toString(incarnation));
        timePassed(keys);
    }

    /** Makes the cluster one that has been running for a while: its last outage ended a minute ago, no grace. */
    private void runningForAWhile(ClusterKeys keys) {
        String longAgo = Long.toString(resp.serverTimeMillis() - 60_000);
        resp.call("HSET", keys.clock(), "seen", Long.toString(resp.serverTimeMillis()), "resume", longAgo, "before",
                longAgo);
    }

    /**
     * After a test wrote an old time behind the script's back (to stand for time that passed), the deadline the script
     * keeps for its next reap (the clock's {@code watch}, see clusterix.lua) must have passed too, as it would have in
     * real time: the script skips its range reads until then.
     */
    private void timePassed(ClusterKeys keys) {
        resp.call("HDEL", keys.clock(), "watch", "watched");
    }

    /**
     * The heartbeats of many nodes that share one store go out together while a call is on the way (the store gathers
     * them: see ScriptedHeartbeatStore); each is taken as if alone: its own status, its own entry, its own view.
     */
    @Test
    void heartbeatsSentTogetherEachGetTheirOwnStatusEntryAndView() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        int n = 20;
        List<JoinResult> joins = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            joins.add(get(store.join(keys, "n" + i, Map.of("i", Integer.toString(i)), TIMEOUT)));
        }
        long version = joins.get(n - 1).version();
        resp.call("ZREM", keys.heartbeats(), "n5"); // declared dead by someone
        resp.call("HDEL", keys.owners(), "n5");
        resp.call("HSET", keys.owners(), "n6", "1"); // taken over
        // Writes wait, so that the first call stays on the way while the others are sent and gather behind it.
        resp.call("CLIENT", "PAUSE", "300", "WRITE");
        List<CompletableFuture<HeartbeatResult>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JoinResult join = joins.get(i);
            sent.add(store.heartbeat(keys, beat("n" + i, join.incarnation(), keys).withKnownVersion(join.version())));
        }
        for (int i = 0; i < n; i++) {
            HeartbeatResult result = get(sent.get(i));
            if (i == 5 || i == 6) {
                assertEquals(i == 5 ? HeartbeatResult.Status.DECLARED_DEAD : HeartbeatResult.Status.TAKEN_OVER,
                        result.status(), "n" + i);
                assertEquals(ViewUpdate.Kind.CHANGES, result.view().kind(), "a node told it is gone still gets news");
                continue;
            }
            assertEquals(HeartbeatResult.Status.OK, result.status(), "n" + i);
            assertEquals(Long.toString(result.serverTimeMillis()), resp.string("ZSCORE", keys.heartbeats(), "n" + i));
            ViewUpdate view = result.view();
            assertEquals(version, view.version());
            long known = joins.get(i).version();
            if (known == version) {
                assertEquals(ViewUpdate.Kind.CURRENT, view.kind(), "n" + i);
                continue;
            }
            assertEquals(ViewUpdate.Kind.CHANGES, view.kind(), "n" + i);
            List<Long> versions = view.changes().stream().map(MembershipChange::version).collect(Collectors.toList());
            assertEquals(versionsFrom(known + 1, version), versions, "n" + i + " gets exactly what it missed");
            MembershipChange last = view.changes().get(view.changes().size() - 1);
            assertEquals("n" + (n - 1), last.nodeId());
            assertEquals(Map.of("i", Integer.toString(n - 1)), last.metadata());
        }
        assertNull(resp.call("ZSCORE", keys.heartbeats(), "n5"), "nothing written for a node that is gone");
    }

    private static List<Long> versionsFrom(long first, long last) {
        List<Long> values = new ArrayList<>();
        for (long v = first; v <= last; v++) {
            values.add(v);
        }
        return values;
    }

    @Test
    void joinClaimsAFreeIdWithAPositiveIncarnationAtServerTime() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long before = resp.serverTimeMillis();
        JoinResult joined = get(store.join(keys, "a", TIMEOUT));
        long after = resp.serverTimeMillis();

        assertEquals(JoinResult.Outcome.JOINED, joined.outcome());
        assertTrue(joined.incarnation() > 0);
        assertTrue(joined.serverTimeMillis() >= before && joined.serverTimeMillis() <= after,
                "join must stamp Redis server time");
        assertEquals(Long.toString(joined.serverTimeMillis()), resp.string("ZSCORE", keys.heartbeats(), "a"));
        assertEquals(Long.toString(joined.incarnation()), resp.string("HGET", keys.owners(), "a"));
        assertEquals(Set.of("a"), get(store.nodes(keys, TIMEOUT)));
    }

    @Test
    void incarnationsGrowStrictlyAcrossJoinsAndTakeovers() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long a = get(store.join(keys, "a", TIMEOUT)).incarnation();
        long b = get(store.join(keys, "b", TIMEOUT)).incarnation();
        writeEntry(keys, "a", a, 60_000);
        JoinResult again = get(store.join(keys, "a", TIMEOUT));

        assertTrue(b > a);
        assertEquals(JoinResult.Outcome.TAKEN_OVER, again.outcome());
        assertTrue(again.incarnation() > b);
    }

    @Test
    void joinOfALiveIdWritesNothingAndReportsTheLiveEntry() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        JoinResult first = get(store.join(keys, "a", TIMEOUT));
        String score = resp.string("ZSCORE", keys.heartbeats(), "a");

        JoinResult second = get(store.join(keys, "a", TIMEOUT));

        assertEquals(JoinResult.Outcome.LIVE, second.outcome());
        assertEquals(first.incarnation(), second.incarnation());
        assertEquals(Long.parseLong(score), second.lastHeartbeat());
        assertEquals(score, resp.string("ZSCORE", keys.heartbeats(), "a"));
        assertEquals(Long.toString(first.incarnation()), resp.string("HGET", keys.owners(), "a"));
        assertEquals(Long.toString(first.incarnation()), resp.string("GET", keys.incarnations()));
    }

    @Test
    void joinTakesOverAStaleEntryAndReturnsItAsTheDeadPredecessor() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("orders");
        writeEntry(keys, "a", 7, 30_000);

        JoinResult joined = get(store.join(keys, "a", TIMEOUT));

        assertEquals(JoinResult.Outcome.TAKEN_OVER, joined.outcome());
        assertEquals(new NodeDownEvent("orders", "a", 7, NodeDownReason.TIMED_OUT, 1),
                joined.predecessor().orElseThrow());
        assertEquals(Long.toString(joined.incarnation()), resp.string("HGET", keys.owners(), "a"));
        assertEquals(List.of(), get(store.poll(keys, 0, TIMEOUT, 100)), "the takeover already reported that death");
    }

    @Test
    void aTakenOverPredecessorIsClaimedForTheJoinerAndHandedOnIfTheJoinerDies() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long survivor = get(store.join(keys, "survivor", TIMEOUT)).incarnation();
        runningForAWhile(keys);
        writeEntry(keys, "a", 7, 30_000);

        JoinResult joined = get(store.join(keys, "a", TIMEOUT));
        long joiner = joined.incarnation();

        assertEquals(JoinResult.Outcome.TAKEN_OVER, joined.outcome());
        assertEquals("1:" + joiner + ":TIMED_OUT:a", resp.string("HGET", keys.claimInfo(), "7"),
                "the predecessor's death is claimed for the joiner, as a heartbeat's claim is");
        assertEquals(List.of(), get(store.heartbeat(keys, beat("survivor", survivor, keys).withPoll(10))).dead(),
                "while the joiner holds it, nobody else gets it");
        String epoch = beat("a", joiner, keys).epoch();
        lapse(keys, "7");
        get(store.heartbeat(keys, new Heartbeat("a", joiner, epoch, TIMEOUT, 0, Set.of(), Set.of(7L))));
        assertEquals(List.of(), get(store.heartbeat(keys, beat("survivor", survivor, keys).withPoll(10))).dead(),
                "the joiner's heartbeat renewed it");

        lapse(keys, "7"); // the joiner died in its listener
        assertEquals(List.of(new NodeDownEvent("", "a", 7, NodeDownReason.TIMED_OUT, 2)),
                get(store.heartbeat(keys, beat("survivor", survivor, keys).withPoll(10))).dead(),
                "a joiner that dies before its listeners return loses the death to a survivor");
    }

    @Test
    void aJoinerThatHandledItsPredecessorReleasesTheClaim() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        writeEntry(keys, "a", 7, 30_000);
        long joiner = get(store.join(keys, "a", TIMEOUT)).incarnation();

        get(store.heartbeat(keys, new Heartbeat("a", joiner, beat("a", joiner, keys).epoch(), TIMEOUT, 0, Set.of(7L),
                Set.of())));

        assertNull(resp.call("HGET", keys.claimInfo(), "7"));
        assertNull(resp.call("ZSCORE", keys.claims(), "7"));
    }

    @Test
    void heartbeatRefreshesOnlyTheOwningIncarnation() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long incarnation = get(store.join(keys, "a", TIMEOUT)).incarnation();
        writeEntry(keys, "a", incarnation, 5_000);

        HeartbeatResult ok = get(store.heartbeat(keys, beat("a", incarnation, keys)));
        assertEquals(HeartbeatResult.Status.OK, ok.status());
        assertEquals(Long.toString(ok.serverTimeMillis()), resp.string("ZSCORE", keys.heartbeats(), "a"));

        String score = resp.string("ZSCORE", keys.heartbeats(), "a");
        HeartbeatResult stranger = get(store.heartbeat(keys, beat("a", incarnation + 1000, keys)));
        assertEquals(HeartbeatResult.Status.TAKEN_OVER, stranger.status());
        assertEquals(Long.toString(incarnation), resp.string("HGET", keys.owners(), "a"));
        assertEquals(score, resp.string("ZSCORE", keys.heartbeats(), "a"), "a foreign heartbeat writes nothing");
    }

    @Test
    void heartbeatOfAReapedNodeTellsItWasDeclaredDeadAndDoesNotRevive() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long incarnation = get(store.join(keys, "a", TIMEOUT)).incarnation();
        writeEntry(keys, "a", incarnation, 30_000);
        assertEquals(List.of("a"), ids(get(store.poll(keys, 0, TIMEOUT, 100))));

        HeartbeatResult late = get(store.heartbeat(keys, beat("a", incarnation, keys)));

        assertEquals(HeartbeatResult.Status.DECLARED_DEAD, late.status());
        assertNull(resp.call("ZSCORE", keys.heartbeats(), "a"));
        assertNull(resp.call("HGET", keys.owners(), "a"));
    }

    @Test
    void pollRemovesOnlyStaleNodesOldestFirstAndEachOnlyOnce() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        get(store.join(keys, "live", TIMEOUT));
        writeEntry(keys, "dead-new", 11, 20_000);
        writeEntry(keys, "dead-old", 10, 40_000);

        List<NodeDownEvent> first = get(store.poll(keys, 0, TIMEOUT, 100));
        List<NodeDownEvent> second = get(store.poll(keys, 0, TIMEOUT, 100));

        assertEquals(List.of(new NodeDownEvent("", "dead-old", 10, NodeDownReason.TIMED_OUT, 1),
                new NodeDownEvent("", "dead-new", 11, NodeDownReason.TIMED_OUT, 1)), first);
        assertEquals(List.of(), second);
        assertEquals(Set.of("live"), get(store.nodes(keys, TIMEOUT)));
        assertEquals(List.of("live"), resp.call("ZRANGE", keys.heartbeats(), "0", "-1"));
    }

    @Test
    void pollHonoursItsLimitAndHeartbeatCanPollInTheSameCall() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long incarnation = get(store.join(keys, "me", TIMEOUT)).incarnation();
        for (int i = 0; i < 5; i++) {
            writeEntry(keys, "dead" + i, 100 + i, 20_000 + i);
        }

        assertEquals(3, get(store.poll(keys, 0, TIMEOUT, 3)).size());
        HeartbeatResult withPoll = get(store.heartbeat(keys, beat("me", incarnation, keys).withPoll(100)));

        assertEquals(HeartbeatResult.Status.OK, withPoll.status());
        assertEquals(2, withPoll.dead().size());
        assertEquals(Set.of("me"), get(store.nodes(keys, TIMEOUT)));
    }

    @Test
    void concurrentPollersClaimEachDeadNodeExactlyOnce() throws Exception {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        Set<String> dead = IntStream.range(0, 200).mapToObj(i -> "dead-" + i).collect(Collectors.toSet());
        dead.forEach(id -> writeEntry(keys, id, 1, 20_000));
        ExecutorService pollers = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<NodeDownEvent>>> claims = new ArrayList<>();
            for (int p = 0; p < 10; p++) {
                claims.add(pollers.submit(() -> {
                    start.await();
                    List<NodeDownEvent> mine = new ArrayList<>();
                    for (int round = 0; round < 10; round++) {
                        mine.addAll(get(store.poll(keys, 0, TIMEOUT, 7)));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<String> claimed = new ArrayList<>();
            for (Future<List<NodeDownEvent>> claim : claims) {
                claimed.addAll(ids(claim.get(60, TimeUnit.SECONDS)));
            }
            assertEquals(claimed.size(), new HashSet<>(claimed).size(), "a dead node was claimed twice");
            assertEquals(dead, new HashSet<>(claimed));
        } finally {
            pollers.shutdownNow();
        }
    }

    @Test
    void burstsOfConcurrentCallsAreAllAnswered() throws Exception {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long incarnation = get(store.join(keys, "busy", TIMEOUT)).incarnation();
        Heartbeat beat = beat("busy", incarnation, keys);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            // Many small bursts, each into an idle store: the case where a backend's queue or multiplexing can lose a
            // call between two of its workers (the Jedis backend once did).
            for (int round = 0; round < 300; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<CompletableFuture<HeartbeatResult>>>> sent = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    sent.add(callers.submit(() -> {
                        start.await();
                        List<CompletableFuture<HeartbeatResult>> mine = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            mine.add(store.heartbeat(keys, beat)); // no waiting in between
                        }
                        return mine;
                    }));
                }
                start.countDown();
                for (Future<List<CompletableFuture<HeartbeatResult>>> calls : sent) {
                    for (CompletableFuture<HeartbeatResult> call : calls.get(20, TimeUnit.SECONDS)) {
                        assertEquals(HeartbeatResult.Status.OK, call.orTimeout(5, TimeUnit.SECONDS).join().status(),
                                "round " + round);
                    }
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void nodesListsOnlyLiveEntries() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        get(store.join(keys, "a", TIMEOUT));
        get(store.join(keys, "b", TIMEOUT));
        writeEntry(keys, "stale", 3, 20_000);
        writeEntry(keys, "left", 4, -1);

        assertEquals(Set.of("a", "b"), get(store.nodes(keys, TIMEOUT)));
        assertEquals(4, resp.integer("ZCARD", keys.heartbeats()), "nodes() is read-only");
    }

    @Test
    void leaveMarksTheNodeForExactlyOnePollWithReasonLeft() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long incarnation = get(store.join(keys, "a", TIMEOUT)).incarnation();
        get(store.join(keys, "b", TIMEOUT));

        assertFalse(get(store.leave(keys, "a", incarnation + 1, TIMEOUT)), "a foreign incarnation cannot leave for a");
        assertEquals(Set.of("a", "b"), get(store.nodes(keys, TIMEOUT)));
        assertTrue(get(store.leave(keys, "a", incarnation, TIMEOUT)));

        assertEquals(Set.of("b"), get(store.nodes(keys, TIMEOUT)));
        assertEquals(List.of(new NodeDownEvent("", "a", incarnation, NodeDownReason.LEFT, 1)),
                get(store.poll(keys, 0, TIMEOUT, 100)));
        assertEquals(List.of(), get(store.poll(keys, 0, TIMEOUT, 100)));
    }

    @Test
    void aClaimIsRenewedByItsClaimerReleasedWhenHandledAndReclaimedWhenItsClaimerStops() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long first = get(store.join(keys, "first", TIMEOUT)).incarnation();
        long second = get(store.join(keys, "second", TIMEOUT)).incarnation();
        writeEntry(keys, "dead", 7, 20_000);

        assertEquals(List.of(new NodeDownEvent("", "dead", 7, NodeDownReason.TIMED_OUT, 1)),
                get(store.poll(keys, first, TIMEOUT, 10)));
        resp.call("ZADD", keys.claims(), Long.toString(resp.serverTimeMillis() - 5_000), "7");
        Heartbeat stillHandling = new Heartbeat("first", first, beat("first", first, keys).epoch(), TIMEOUT, 10,
                Set.of(), Set.of(7L));
        assertEquals(List.of(), get(store.heartbeat(keys, stillHandling)).dead());
        assertTrue(resp.serverTimeMillis() - Long.parseLong(resp.string("ZSCORE", keys.claims(), "7")) < 5_000,
                "the claimer's heartbeat renewed its claim");
        Heartbeat notTheClaimer = new Heartbeat("second", second, stillHandling.epoch(), TIMEOUT, 0, Set.of(),
                Set.of(7L));
        resp.call("ZADD", keys.claims(), Long.toString(resp.serverTimeMillis() - 20_000), "7");
        timePassed(keys);
        get(store.heartbeat(keys, notTheClaimer));

        List<NodeDownEvent> again = get(store.heartbeat(keys, beat("second", second, keys).withPoll(10))).dead();
        assertEquals(List.of(new NodeDownEvent("", "dead", 7, NodeDownReason.TIMED_OUT, 2)), again,
                "a claim its claimer stopped renewing is handed to another node, once");
        assertEquals(List.of(), get(store.poll(keys, first, TIMEOUT, 10)));

        Heartbeat done = new Heartbeat("second", second, stillHandling.epoch(), TIMEOUT, 10, Set.of(7L), Set.of());
        assertEquals(List.of(), get(store.heartbeat(keys, done)).dead());
        assertEquals(0, resp.integer("ZCARD", keys.claims()));
        assertEquals(0, resp.integer("HLEN", keys.claimInfo()));
    }

    @Test
    void afterAnOutageLongerThanTheTimeoutOnlyNodesStaleBeforeItAreClaimed() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long now = resp.serverTimeMillis();
        // The last write of this cluster was 25 s ago: Redis was stalled or unreachable since.
        resp.call("HSET", keys.clock(), "seen", Long.toString(now - 25_000), "epoch", "1");
        writeEntry(keys, "alive-before", 1, 26_000);
        writeEntry(keys, "dead-before", 2, 40_000);

        assertEquals(List.of("dead-before"), ids(get(store.poll(keys, 0, TIMEOUT, 10))));
        assertEquals(Set.of("alive-before"), get(store.nodes(keys, TIMEOUT)));
        assertEquals(List.of(), ids(get(store.poll(keys, 0, TIMEOUT, 10))), "still within the grace period");

        // The grace lasts timeout + the outage's length from the outage's end: make both lie in the past.
        long ended = resp.serverTimeMillis() - 11_000;
        resp.call("HSET", keys.clock(), "resume", Long.toString(ended), "before", Long.toString(ended - 1));
        timePassed(keys);
        assertEquals(List.of("alive-before"), ids(get(store.poll(keys, 0, TIMEOUT, 10))),
                "a node that did not come back within the grace period is reported");
    }

    @Test
    void aNodeWhoseEntryRedisLostIsRestoredNotEvictedAndIncarnationsStayAhead() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        JoinResult joined = get(store.join(keys, "a", TIMEOUT));
        String epoch = beat("a", joined.incarnation(), keys).epoch();
        List<String> del = new ArrayList<>(List.of("DEL"));
        del.addAll(keys.all());
        resp.call(del.toArray(new String[0])); // as after a restart without persistence

        long other = get(store.join(keys, "b", TIMEOUT)).incarnation();
        HeartbeatResult back = get(store.heartbeat(keys, Heartbeat.of("a", joined.incarnation(), epoch, TIMEOUT)));

        assertEquals(HeartbeatResult.Status.RESTORED, back.status());
        assertEquals(Long.toString(joined.incarnation()), resp.string("HGET", keys.owners(), "a"));
        assertEquals(Set.of("a", "b"), get(store.nodes(keys, TIMEOUT)));
        assertTrue(other > joined.incarnation(), "fencing tokens stay ahead of those handed out before the loss");
        assertEquals(HeartbeatResult.Status.OK,
                get(store.heartbeat(keys, Heartbeat.of("a", joined.incarnation(), back.epoch(), TIMEOUT))).status());
    }

    @Test
    void oneNodeAtATimeIsToldWhenTheOldestLiveHeartbeatTurnsStale() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        runningForAWhile(keys);
        long a = get(store.join(keys, "a", TIMEOUT)).incarnation();
        long b = get(store.join(keys, "b", TIMEOUT)).incarnation();
        writeEntry(keys, "oldest", 9, 4_000);
        long oldest = Long.parseLong(resp.string("ZSCORE", keys.heartbeats(), "oldest"));

        HeartbeatResult watcher = get(store.heartbeat(keys, beat("a", a, keys).withPoll(10)));
        HeartbeatResult other = get(store.heartbeat(keys, beat("b", b, keys).withPoll(10)));
        HeartbeatResult plain = get(store.heartbeat(keys, beat("b", b, keys)));

        assertEquals(oldest + TIMEOUT.toMillis() + 1, watcher.pollDeadline());
        assertEquals(0, other.pollDeadline(), "the deadline already has a watcher");
        assertEquals(0, plain.pollDeadline(), "only polls are given deadlines");
    }

    @Test
    void pollsBetweenDeadlinesStillFindALeaveAndTheWatcherFindsTheDeathAtTheDeadline() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        runningForAWhile(keys);
        long a = get(store.join(keys, "a", TIMEOUT)).incarnation();
        long b = get(store.join(keys, "b", TIMEOUT)).incarnation();
        long c = get(store.join(keys, "c", TIMEOUT)).incarnation();
        HeartbeatResult watcher = get(store.heartbeat(keys, beat("a", a, keys).withPoll(10)));
        assertTrue(watcher.pollDeadline() > resp.serverTimeMillis(), "the watcher is told a deadline to come");

        assertTrue(get(store.leave(keys, "b", b, TIMEOUT)));
        HeartbeatResult reaped = get(store.heartbeat(keys, beat("c", c, keys).withPoll(10)));
        assertEquals(List.of(new NodeDownEvent("", "b", b, NodeDownReason.LEFT, 1)), reaped.dead(),
                "a leave is found by the next poll, before any deadline");
        assertTrue(reaped.pollDeadline() > 0, "the poller that reaped watches the next deadline");
        assertEquals(List.of(), get(store.heartbeat(keys, beat("a", a, keys).withPoll(10))).dead());

        // "a" stops heartbeating; "c" goes on. Once a's heartbeat is older than the timeout (and so the deadline has
        // passed), the next poll finds "a".
        resp.call("ZADD", keys.heartbeats(), Long.toString(resp.serverTimeMillis() - TIMEOUT.toMillis() - 1), "a");
        timePassed(keys);
        assertEquals(List.of(new NodeDownEvent("", "a", a, NodeDownReason.TIMED_OUT, 1)),
                get(store.heartbeat(keys, beat("c", c, keys).withPoll(10))).dead());
    }

    @Test
    void aWriteGapLongerThanTheTimeoutMinusTheHeartbeatIntervalStartsTheOutageGrace() {
        HeartbeatStore store = store();
        Duration interval = Duration.ofSeconds(2);
        for (boolean toldInterval : new boolean[] {true, false}) {
            ClusterKeys keys = keys(toldInterval ? "told" : "untold");
            long now = resp.serverTimeMillis();
            // Nothing of this cluster was written for 9 s: less than the 10 s timeout, more than timeout - interval.
            resp.call("HSET", keys.clock(), "seen", Long.toString(now - 9_000), "epoch", "1");
            writeEntry(keys, "me", 1, 9_000);
            writeEntry(keys, "paused", 2, 10_500); // heartbeated 1.5 s before the gap began
            resp.call("SET", keys.incarnations(), "2");
            Heartbeat beat = Heartbeat.of("me", 1, "1", TIMEOUT).withPoll(10);

            List<String> claimed = ids(get(store.heartbeat(keys, toldInterval ? beat.withInterval(interval) : beat)
                    ).dead());

            if (toldInterval) {
                assertEquals(List.of(), claimed, "with the 2 s interval, a 9 s gap is an outage: grace");
            } else {
                assertEquals(List.of("paused"), claimed, "without an interval, only gaps over the timeout count");
            }
        }
    }

    @Test
    void keysFollowTheDocumentedLayoutForTheDefaultAndAGivenClusterId() {
        HeartbeatStore store = store();
        get(store.join(keys(""), "a", TIMEOUT));
        get(store.join(keys("orders"), "a", TIMEOUT));

        String given = "{" + prefix + ":orders}";
        String empty = "{" + prefix + "}";
        assertEquals(List.of(given + ":clock", given + ":heartbeats", given + ":history", given + ":incarnations",
                given + ":metadata", given + ":owners", empty + ":clock", empty + ":heartbeats", empty + ":history",
                empty + ":incarnations", empty + ":metadata", empty + ":owners"),
                keysOfThisTest());
        assertEquals("hash", resp.string("TYPE", "{" + prefix + "}:clock"));
        assertEquals("zset", resp.string("TYPE", "{" + prefix + "}:heartbeats"));
        assertEquals("hash", resp.string("TYPE", "{" + prefix + "}:owners"));
        assertEquals("string", resp.string("TYPE", "{" + prefix + "}:incarnations"));
    }

    @Test
    void aClaimerThatResumesAfterItsClaimWasHandedOnReleasesNothingThatIsNotItsOwn() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long paused = get(store.join(keys, "paused", TIMEOUT)).incarnation();
        long second = get(store.join(keys, "second", TIMEOUT)).incarnation();
        long third = get(store.join(keys, "third", TIMEOUT)).incarnation();
        runningForAWhile(keys);
        writeEntry(keys, "victim", 7, 20_000);
        assertEquals(List.of("victim"), ids(get(store.heartbeat(keys, beat("paused", paused, keys).withPoll(10)))
                .dead()));
        lapse(keys, "7");
        assertEquals(List.of(new NodeDownEvent("", "victim", 7, NodeDownReason.TIMED_OUT, 2)),
                get(store.heartbeat(keys, beat("second", second, keys).withPoll(10))).dead());

        // The paused claimer resumes and says it handled the death: the claim is the second survivor's now.
        Heartbeat resumed = new Heartbeat("paused", paused, beat("paused", paused, keys).epoch(), TIMEOUT, 0,
                Set.of(7L), Set.of(7L));
        get(store.heartbeat(keys, resumed));

        assertTrue(resp.string("HGET", keys.claimInfo(), "7").startsWith("2:" + second + ":"),
                "the second survivor's claim is untouched: " + resp.string("HGET", keys.claimInfo(), "7"));
        lapse(keys, "7");
        assertEquals(List.of(new NodeDownEvent("", "victim", 7, NodeDownReason.TIMED_OUT, 3)),
                get(store.heartbeat(keys, beat("third", third, keys).withPoll(10))).dead(),
                "if the second survivor dies too, the death is still handed on");
    }

    /** Makes a claim's last renewal older than the timeout, as if its claimer had stopped. */
    private void lapse(ClusterKeys keys, String claim) {
        resp.call("ZADD", keys.claims(), Long.toString(resp.serverTimeMillis() - 20_000), claim);
        timePassed(keys);
    }

    @Test
    void aNodeThatIsNoLongerAMemberClaimsNoDeathsWithItsHeartbeat() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long declared = get(store.join(keys, "declared", TIMEOUT)).incarnation();
        long taken = get(store.join(keys, "taken", TIMEOUT)).incarnation();
        long survivor = get(store.join(keys, "survivor", TIMEOUT)).incarnation();
        runningForAWhile(keys);
        resp.call("ZREM", keys.heartbeats(), "declared");
        resp.call("HDEL", keys.owners(), "declared");
        resp.call("HSET", keys.owners(), "taken", Long.toString(taken + 1_000));
        writeEntry(keys, "dead", 9, 20_000);

        HeartbeatResult dead = get(store.heartbeat(keys, beat("declared", declared, keys).withPoll(10)));
        HeartbeatResult over = get(store.heartbeat(keys, beat("taken", taken, keys).withPoll(10)));

        assertEquals(HeartbeatResult.Status.DECLARED_DEAD, dead.status());
        assertEquals(HeartbeatResult.Status.TAKEN_OVER, over.status());
        assertEquals(List.of(), dead.dead(), "a dead incarnation must not claim deaths it cannot renew");
        assertEquals(List.of(), over.dead());
        assertEquals(List.of("dead"), ids(get(store.heartbeat(keys, beat("survivor", survivor, keys).withPoll(10)))
                .dead()), "the death waits for a member");
    }

    @Test
    void aHeartbeatThatArrivesAfterItsLeaveDoesNotReviveTheLeftEntry() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long goes = get(store.join(keys, "goes", TIMEOUT)).incarnation();
        long stays = get(store.join(keys, "stays", TIMEOUT)).incarnation();
        assertTrue(get(store.leave(keys, "goes", goes, TIMEOUT)));

        HeartbeatResult late = get(store.heartbeat(keys, beat("goes", goes, keys)));

        assertEquals(HeartbeatResult.Status.LEFT, late.status());
        assertEquals("0", resp.string("ZSCORE", keys.heartbeats(), "goes"));
        assertEquals(List.of(new NodeDownEvent("", "goes", goes, NodeDownReason.LEFT, 1)),
                get(store.heartbeat(keys, beat("stays", stays, keys).withPoll(10))).dead(),
                "reported as LEFT, not TIMED_OUT");
    }

    @Test
    void leftEntriesBeyondTheReapLimitAreClaimedByTheNextPollsAtOnce() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long stays = get(store.join(keys, "stays", TIMEOUT)).incarnation();
        for (String id : List.of("left-1", "left-2", "left-3")) {
            assertTrue(get(store.leave(keys, id, get(store.join(keys, id, TIMEOUT)).incarnation(), TIMEOUT)));
        }

        List<String> claimed = new ArrayList<>();
        for (int poll = 0; poll < 3; poll++) {
            claimed.addAll(ids(get(store.heartbeat(keys, beat("stays", stays, keys).withPoll(1))).dead()));
        }

        assertEquals(List.of("left-1", "left-2", "left-3"), claimed.stream().sorted().toList(),
                "a poll that claimed a full batch of left entries leaves no deadline that would hide the rest");
    }

    @Test
    void duringAnOutageGraceAnEntryWrittenAfterTheOutageIsClaimedAtTheNormalTimeout() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long now = resp.serverTimeMillis();
        // No write for 15 s, ended 11 s ago: the grace (timeout + 15 s after its end) lasts 14 s more.
        resp.call("HSET", keys.clock(), "seen", Long.toString(now - 1_000), "resume", Long.toString(now - 11_000),
                "before", Long.toString(now - 26_000), "epoch", "1");
        writeEntry(keys, "alive-before", 1, 27_000);
        writeEntry(keys, "joined-after", 2, 10_500);

        List<NodeDownEvent> claimed = get(store.poll(keys, 0, TIMEOUT, 10));

        assertEquals(List.of("joined-after"), ids(claimed), "it reached Redis after the outage, then stopped: no"
                + " grace for it (a cluster that was idle for a while does not hold back the next fleet's deaths)");
        assertEquals(Set.of("alive-before"), get(store.nodes(keys, TIMEOUT)), "still protected by the grace");
    }

    @Test
    void aJoinRecordsItsChangeAndReturnsEveryMemberWithMetadata() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        JoinResult a = get(store.join(keys, "a", Map.of("port", "8081", "odd:key|", "v:1|2"), TIMEOUT));
        JoinResult b = get(store.join(keys, "b", Map.of(), TIMEOUT));

        assertEquals(a.version() + 1, b.version(), "consecutive versions");
        assertEquals(List.of(new Member("a", a.incarnation(), Map.of("port", "8081", "odd:key|", "v:1|2")),
                new Member("b", b.incarnation(), Map.of())), new MembershipView(b.version(), b.members()).members());
        HeartbeatResult caughtUp = get(store.heartbeat(keys, beat("a", a.incarnation(), keys)
                .withKnownVersion(a.version())));
        assertEquals(ViewUpdate.Kind.CHANGES, caughtUp.view().kind());
        assertEquals(List.of(new MembershipChange(b.version(), MembershipEvent.Type.JOINED, "b", b.incarnation(),
                caughtUp.view().changes().get(0).serverTimeMillis(), Map.of())), caughtUp.view().changes());
    }

    @Test
    void aJoinStormGathersTheMembersOncePerHundredJoinsNotOncePerJoin() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        get(store.join(keys, "first", Map.of("n", "first"), TIMEOUT));
        resp.call("CONFIG", "RESETSTAT");

        JoinResult last = null;
        for (int i = 0; i < 250; i++) {
            last = get(store.join(keys, "node-" + i, Map.of("n", Integer.toString(i)), TIMEOUT));
        }

        assertEquals(251, last.members().size());
        assertEquals(Map.of("n", "first"), new MembershipView(last.version(), last.members()).member("first")
                .orElseThrow().metadata(), "the kept snapshot and the changes since, folded");
        assertEquals(Map.of("n", "249"), new MembershipView(last.version(), last.members()).member("node-249")
                .orElseThrow().metadata());
        String stats = resp.string("INFO", "commandstats");
        long gathered = stats.lines().filter(l -> l.startsWith("cmdstat_hgetall:")).findFirst()
                .map(l -> Long.parseLong(l.substring(l.indexOf("calls=") + 6, l.indexOf(',')))).orElse(0L);
        assertTrue(gathered <= 3, "the members of 250 joins were gathered " + gathered + " times: a join must read"
                + " the kept snapshot and the changes since, not O(N) commands each");
    }

    @Test
    void anUpToDateHeartbeatRunsNoCommandOfTheHistory() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        JoinResult a = get(store.join(keys, "a", TIMEOUT));
        get(store.heartbeat(keys, beat("a", a.incarnation(), keys).withKnownVersion(a.version())));
        resp.call("CONFIG", "RESETSTAT");

        HeartbeatResult current = get(store.heartbeat(keys, beat("a", a.incarnation(), keys)
                .withKnownVersion(a.version())));

        assertEquals(ViewUpdate.Kind.CURRENT, current.view().kind());
        String stats = resp.string("INFO", "commandstats");
        for (String command : List.of("zrangebyscore", "zrange", "zcard", "hlen", "hgetall")) {
            assertFalse(stats.contains("cmdstat_" + command + ":"), command + " ran: the version travels in the"
                    + " clock read every heartbeat makes anyway\n" + stats);
        }
    }

    @Test
    void aHeartbeatThatIsBehindGetsWhatItMissedInBatches() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        JoinResult a = get(store.join(keys, "a", TIMEOUT));
        for (int i = 0; i < 150; i++) {
            assertTrue(get(store.updateMetadata(keys, "a", a.incarnation(), Map.of("n", Integer.toString(i)),
                    TIMEOUT)));
        }

        ViewUpdate first = get(store.heartbeat(keys, beat("a", a.incarnation(), keys)
                .withKnownVersion(a.version()))).view();
        long read = first.changes().get(first.changes().size() - 1).version();
        ViewUpdate rest = get(store.heartbeat(keys, beat("a", a.incarnation(), keys).withKnownVersion(read))).view();

        assertEquals(100, first.changes().size());
        assertEquals(a.version() + 150, first.version());
        assertEquals(a.version() + 1, first.changes().get(0).version());
        assertEquals(50, rest.changes().size());
        assertEquals(Map.of("n", "149"), rest.changes().get(49).metadata(), "each change with its own metadata");
        assertEquals(Map.of("n", "0"), first.changes().get(0).metadata());
    }

    @Test
    void aMemberThatCannotReadWhatItMissedGetsASnapshotAndTheHistoryStaysBounded() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        JoinResult a = get(store.join(keys, "a", Map.of("n", "start"), TIMEOUT));
        JoinResult b = get(store.join(keys, "b", TIMEOUT));
        for (int i = 0; i < 1_010; i++) {
            get(store.updateMetadata(keys, "b", b.incarnation(), Map.of("n", Integer.toString(i)), TIMEOUT));
        }

        ViewUpdate trimmed = get(store.heartbeat(keys, beat("a", a.incarnation(), keys)
                .withKnownVersion(a.version()))).view();

        assertEquals(ViewUpdate.Kind.SNAPSHOT, trimmed.kind(), "the changes after its version were trimmed");
        assertEquals(b.version() + 1_010, trimmed.version());
        assertEquals(List.of(new Member("a", a.incarnation(), Map.of("n", "start")),
                new Member("b", b.incarnation(), Map.of("n", "1009"))), trimmed.snapshot());
        assertEquals(1_000, resp.integer("ZCARD", keys.history()), "the last 1,000 changes are kept");
        assertTrue(resp.integer("HLEN", keys.metadata()) <= 1_000 + 2 + 2, "metadata only of kept changes, and the"
                + " members' current ones: " + resp.integer("HLEN", keys.metadata()));
    }

    @Test
    void aMemberThatKnowsAVersionTheHistoryNeverReachedMakesItGoOnAboveEveryEarlierOne() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        JoinResult a = get(store.join(keys, "a", TIMEOUT));
        long ahead = a.version() + 5_000; // it applied changes that a failover lost

        ViewUpdate lost = get(store.heartbeat(keys, beat("a", a.incarnation(), keys).withKnownVersion(ahead))).view();
        JoinResult b = get(store.join(keys, "b", TIMEOUT));

        assertEquals(ViewUpdate.Kind.SNAPSHOT, lost.kind());
        assertTrue(lost.version() > ahead, lost.version() + " must exceed " + ahead);
        assertEquals(lost.version() + 1, b.version(), "then consecutive again");
    }

    @Test
    void underEveryOperationAKeyOfTheWrongTypeFailsNamingItAndNothingIsWrittenOrLost() {
        HeartbeatStore store = store();
        Map<String, Function<Corruptible, CompletableFuture<?>>> operations = new LinkedHashMap<>();
        operations.put("join", m -> store.join(m.keys, "joining", TIMEOUT));
        operations.put("heartbeat", m -> store.heartbeat(m.keys, Heartbeat.of("a", m.incarnation, m.epoch, TIMEOUT)));
        operations.put("heartbeat with poll and claims", m -> store.heartbeat(m.keys, new Heartbeat("a",
                m.incarnation, m.epoch, TIMEOUT, 10, Set.of(8L), Set.of(7L))));
        operations.put("heartbeat that restores", m -> store.heartbeat(m.keys, Heartbeat.of("lost",
                m.incarnation + 1_000, m.epoch, TIMEOUT)));
        operations.put("poll", m -> store.poll(m.keys, m.incarnation, TIMEOUT, 10));
        operations.put("leave", m -> store.leave(m.keys, "a", m.incarnation, TIMEOUT));
        operations.put("update metadata", m -> store.updateMetadata(m.keys, "a", m.incarnation, Map.of("k", "v"),
                TIMEOUT));
        operations.put("heartbeat that catches up", m -> store.heartbeat(m.keys, Heartbeat.of("a", m.incarnation,
                m.epoch, TIMEOUT).withKnownVersion(0)));
        operations.put("nodes", m -> store.nodes(m.keys, TIMEOUT));
        int cases = 0;
        int failed = 0;
        for (Map.Entry<String, Function<Corruptible, CompletableFuture<?>>> operation : operations.entrySet()) {
            for (int key = 0; key < ClusterKeys.of("x", "").all().size(); key++) {
                Corruptible member = corruptible(store, keys("wrongtype-" + cases++));
                String corrupted = member.keys.all().get(key);
                resp.call("DEL", corrupted);
                if (key == 2) {
                    resp.call("HSET", corrupted, "not", "a string");
                } else {
                    resp.call("SET", corrupted, "not a " + (key == 0 || key == 3 || key == 6 ? "sorted set" : "hash"));
                }
                Map<String, String> before = dumps(member.keys);

                Throwable failure = null;
                try {
                    get(operation.getValue().apply(member));
                } catch (RuntimeException e) {
                    failure = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                }

                String what = operation.getKey() + " with " + corrupted + " of the wrong type";
                if (failure != null) {
                    failed++;
                    assertTrue(failure instanceof ClusterixException && failure.getMessage().contains("WRONGTYPE")
                            && failure.getMessage().contains("key " + corrupted + " is a "), what + ": " + failure);
                    assertEquals(before, dumps(member.keys), what + ": the call failed, so nothing may be written");
                } else {
                    assertEquals(before.get(corrupted), dumps(member.keys).get(corrupted), what);
                }
            }
        }
        assertTrue(failed >= 40, "most operations touch most keys; failed: " + failed);
    }

    /** A member "a" of a cluster with a stale entry, a claim being handled and a claim handled. */
    private record Corruptible(ClusterKeys keys, long incarnation, String epoch) {
    }

    private Corruptible corruptible(HeartbeatStore store, ClusterKeys keys) {
        long incarnation = get(store.join(keys, "a", TIMEOUT)).incarnation();
        writeEntry(keys, "dead", 5, 30_000);
        String now = Long.toString(resp.serverTimeMillis());
        resp.call("ZADD", keys.claims(), now, "7", now, "8");
        resp.call("HSET", keys.claimInfo(), "7", "1:" + incarnation + ":TIMED_OUT:x", "8",
                "1:" + incarnation + ":TIMED_OUT:y");
        resp.call("SET", keys.incarnations(), Long.toString(incarnation));
        return new Corruptible(keys, incarnation, resp.string("HGET", keys.clock(), "epoch"));
    }

    private Map<String, String> dumps(ClusterKeys keys) {
        Map<String, String> dumps = new LinkedHashMap<>();
        for (String key : keys.all()) {
            dumps.put(key, resp.string("DUMP", key));
        }
        return dumps;
    }

    @Test
    void aKeyPrefixThatContainsOomGetsNoOutOfMemoryHint() {
        HeartbeatStore store = store();
        ClusterKeys keys = ClusterKeys.of(prefix + "-OOM", "");
        resp.call("SET", keys.heartbeats(), "not a sorted set");

        ClusterixException failure = assertThrows(ClusterixException.class,
                () -> unwrap(() -> get(store.join(keys, "a", TIMEOUT))));

        assertTrue(failure.getMessage().contains("WRONGTYPE"), failure.getMessage());
        assertFalse(failure.getMessage().contains("out of memory"), failure.getMessage());
        try (RedisServerProcess full = RedisServerProcess.start("--maxmemory", "1")) {
            TckBackend.TestClient client = closeAfterTest(backend().client(full.endpoint()));
            ClusterixException oom = assertThrows(ClusterixException.class,
                    () -> unwrap(() -> get(storeFor(client.client()).join(keys, "a", TIMEOUT))));
            assertTrue(oom.getMessage().contains("Redis is out of memory (maxmemory)"), oom.getMessage());
        }
    }

    @Test
    void aKeyOfAnotherTypeFailsWithItsNameAndNothingIsOverwritten() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        resp.call("SET", keys.heartbeats(), "not a sorted set");

        ClusterixException failure = assertThrows(ClusterixException.class,
                () -> unwrap(() -> get(store.join(keys, "a", TIMEOUT))));

        assertTrue(failure.getMessage().contains(keys.heartbeats()), failure.getMessage());
        assertTrue(failure.getMessage().contains("WRONGTYPE"), failure.getMessage());
        assertEquals("not a sorted set", resp.string("GET", keys.heartbeats()));
        assertEquals(List.of(keys.heartbeats()), keysOfThisTest(), "nothing else was written");
    }

    @Test
    void aFlushedScriptCacheIsRecoveredTransparently() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("");
        long incarnation = get(store.join(keys, "a", TIMEOUT)).incarnation();
        resp.call("SCRIPT", "FLUSH");

        assertEquals(HeartbeatResult.Status.OK,
                get(store.heartbeat(keys, beat("a", incarnation, keys).withPoll(10))).status());
        resp.call("SCRIPT", "FLUSH");
        assertEquals(Set.of("a"), get(store.nodes(keys, TIMEOUT)));
    }

    @Test
    void nodeIdsAreArbitraryStringsThatCannotReachOtherKeys() {
        HeartbeatStore store = store();
        ClusterKeys keys = keys("x");
        List<String> ids = List.of("with space", "colon:s:", "{brace}", "}{", "quote\"'`", "ñandú-Ωμέγα-日本-🙂",
                "*", "\\back\\slash", "new\nline");
        for (String id : ids) {
            assertEquals(JoinResult.Outcome.JOINED, get(store.join(keys, id, TIMEOUT)).outcome(), id);
        }

        assertEquals(new HashSet<>(ids), get(store.nodes(keys, TIMEOUT)));
        assertEquals(List.of(keys.clock(), keys.heartbeats(), keys.history(), keys.incarnations(), keys.metadata(),
                keys.owners()), keysOfThisTest());
    }

    @Test
    void everyAcceptedClientKindWorks() {
        List<TckBackend.TestClient> kinds = deployment.kind() == RedisTopology.Kind.STANDALONE
                ? backend().everyClientKind(redis) : backend().everyClientKind(deployment);
        try {
            assertFalse(kinds.isEmpty());
            for (TckBackend.TestClient kind : kinds) {
                HeartbeatStore store = storeFor(kind.client());
                ClusterKeys keys = keys(kind.kind());
                long incarnation = get(store.join(keys, "a", TIMEOUT)).incarnation();
                resp.call("SCRIPT", "FLUSH");
                assertEquals(HeartbeatResult.Status.OK,
                        get(store.heartbeat(keys, beat("a", incarnation, keys).withPoll(10))).status(), kind.kind());
                assertEquals(Set.of("a"), get(store.nodes(keys, TIMEOUT)), kind.kind());
            }
        } finally {
            kinds.forEach(TckBackend.TestClient::close);
        }
    }

    @Test
    void backendDependsOnNoOtherBackendNorOnClusterixInternals() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(backend().backendPackage());
        assertFalse(classes.isEmpty());
        List<String> others = new ArrayList<>(List.of("io.clusterix.jedis..", "io.clusterix.lettuce..",
                "io.clusterix.redisson..", "redis.clients..", "io.lettuce..", "org.redisson.."));
        others.removeIf(p -> p.startsWith(backend().backendPackage()));
        others.removeIf(p -> p.equals(clientPackage()));
        others.add("io.clusterix.internal..");
        noClasses().should().dependOnClassesThat().resideInAnyPackage(others.toArray(new String[0]))
                .check(classes);
    }

    private String clientPackage() {
        switch (backend().name()) {
            case "jedis":
                return "redis.clients..";
            case "lettuce":
                return "io.lettuce..";
            case "redisson":
                return "org.redisson..";
            default:
                return "";
        }
    }

    private static List<String> ids(List<NodeDownEvent> events) {
        return events.stream().map(NodeDownEvent::nodeId).collect(Collectors.toList());
    }

    private static void unwrap(Runnable call) {
        try {
            call.run();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }
}
