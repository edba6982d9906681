package io.clusterix.tck;

import io.clusterix.Clusterix;
import io.clusterix.ClusterKeys;
import io.clusterix.ClusterixException;
import io.clusterix.EvictionEvent;
import io.clusterix.EvictionPolicy;
import io.clusterix.EvictionReason;
import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.ScriptedHeartbeatStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's eviction ({@link ScriptedHeartbeatStore#evict}, the {@code clusterix evict} command) over the backend:
 * one death for one survivor, exactly as a timed-out node's, and an eviction notice for the node itself if it still
 * runs. Timing as in {@link ClusterixContract}.
 */
public abstract class EvictionContract extends BackendContract {
    private static final Duration INTERVAL = Duration.ofMillis(ClusterixContract.INTERVAL_MS);
    private static final Duration TIMEOUT = Duration.ofMillis(ClusterixContract.TIMEOUT_MS);

    private ScriptedHeartbeatStore scripted() {
        HeartbeatStore store = storeFor(client.client());
        Assumptions.assumeTrue(store instanceof ScriptedHeartbeatStore,
                () -> "evict is an operation of ScriptedHeartbeatStore; " + store.getClass().getName() + " is none");
        return (ScriptedHeartbeatStore) store;
    }

    private Clusterix node(String nodeId, EvictionPolicy policy) {
        Clusterix node = Clusterix.builder(client.client()).keyPrefix(prefix).nodeId(nodeId).heartbeatInterval(INTERVAL)
                .pollInterval(INTERVAL).timeout(TIMEOUT).evictionPolicy(policy).build();
        closeAfterTest(node::dispose);
        return node;
    }

    private static <T> T get(CompletableFuture<T> future) {
        return future.orTimeout(ClusterixContract.PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Test
    void anEvictedLiveNodeIsOneDeathForOneSurvivorAndIsToldItWasDeclaredDead() {
        ClusterixContract.Recorder<NodeDownEvent> downs = new ClusterixContract.Recorder<>();
        ClusterixContract.Recorder<MembershipEvent> changes = new ClusterixContract.Recorder<>();
        for (String survivor : List.of("survivor1", "survivor2")) {
            Clusterix node = node(survivor, EvictionPolicy.REJOIN);
            node.onNodeDown(downs);
            node.onMembershipChanged(changes);
            get(node.initializeNode());
        }
        ClusterixContract.Recorder<EvictionEvent> evictions = new ClusterixContract.Recorder<>();
        // STOP: a victim that rejoined could claim its own old death with its first poll, before a survivor.
        Clusterix victim = node("victim", EvictionPolicy.STOP);
        victim.onEvicted(evictions);
        get(victim.initializeNode());
        long incarnation = victim.incarnation();

        assertEquals(incarnation, get(scripted().evict(victim.keys(), "victim", 0, "host decommissioned")));

        NodeDownEvent expected = new NodeDownEvent("", "victim", incarnation, NodeDownReason.TIMED_OUT, 1);
        await().atMost(ClusterixContract.PATIENCE).until(() -> downs.size() == 1);
        assertEquals(expected, downs.events.get(0));
        await().atMost(ClusterixContract.PATIENCE).until(() -> evictions.size() == 1);
        assertEquals(new EvictionEvent("", "victim", incarnation, EvictionReason.DECLARED_DEAD),
                evictions.events.get(0));
        // Both survivors apply the TIMED_OUT; only one handles the death, once.
        await().atMost(ClusterixContract.PATIENCE).until(() -> changes.events.stream().filter(e ->
                e.type() == MembershipEvent.Type.TIMED_OUT && e.member().nodeId().equals("victim")).count() == 2);
        await().during(ClusterixContract.QUIET).atMost(ClusterixContract.PATIENCE).until(() -> downs.size() == 1);
        assertEquals(0, resp.integer("ZCARD", victim.keys().claims()), "the survivor released its claim");
        assertEquals(null, resp.call("ZSCORE", victim.keys().heartbeats(), "victim"), "STOP: no heartbeat after");
    }

    @Test
    void anEvictionOfAnotherIncarnationAnUnknownIdOrALeftNodeWritesNothing() {
        ScriptedHeartbeatStore store = scripted();
        ClusterKeys keys = keys("");
        long a = get(store.join(keys, "a", TIMEOUT)).incarnation();
        long b = get(store.join(keys, "b", TIMEOUT)).incarnation();
        assertTrue(get(store.leave(keys, "b", b, TIMEOUT)));
        Map<String, String> before = dumps(keys);

        assertEquals(0L, get(store.evict(keys, "a", a + 1, "not this one")));
        assertEquals(0L, get(store.evict(keys, "nobody", 0, "")));
        assertEquals(0L, get(store.evict(keys, "b", 0, "left already")));

        assertEquals(before, dumps(keys));
        assertEquals(a, get(store.evict(keys, "a", a, "the right one")));
    }

    @Test
    void underEvictAKeyOfTheWrongTypeFailsNamingItAndNothingIsWrittenOrLost() {
        ScriptedHeartbeatStore store = scripted();
        int failed = 0;
        for (int key = 0; key < ClusterKeys.of("x", "").all().size(); key++) {
            ClusterKeys keys = keys("wrongtype-" + key);
            get(store.join(keys, "a", TIMEOUT));
            String corrupted = keys.all().get(key);
            resp.call("DEL", corrupted);
            if (key == 2) {
                resp.call("HSET", corrupted, "not", "a string");
            } else {
                resp.call("SET", corrupted, "not a " + (key == 0 || key == 3 || key == 6 ? "sorted set" : "hash"));
            }
            Map<String, String> before = dumps(keys);
            try {
                get(store.evict(keys, "a", 0, ""));
                assertEquals(before.get(corrupted), dumps(keys).get(corrupted), "evict with " + corrupted);
            } catch (CompletionException e) {
                failed++;
                assertTrue(e.getCause() instanceof ClusterixException && e.getCause().getMessage()
                        .contains("key " + corrupted + " is a "), corrupted + ": " + e.getCause());
                assertEquals(before, dumps(keys), "evict with " + corrupted + " failed, so nothing may be written");
            }
        }
        // Every key but the incarnation counter, which evict does not touch.
        assertEquals(7, failed);
    }

    private Map<String, String> dumps(ClusterKeys keys) {
        Map<String, String> dumps = new LinkedHashMap<>();
        for (String key : keys.all()) {
            dumps.put(key, resp.string("DUMP", key));
        }
        return dumps;
    }
}
