package io.clusterix.cli;

import io.clusterix.Clusterix;
import io.clusterix.EvictionEvent;
import io.clusterix.EvictionPolicy;
import io.clusterix.EvictionReason;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictCommandTest extends CliTest {
    @Test
    void anEvictedLiveNodeIsOneDeathForASurvivorAndIsToldItWasDeclaredDead() {
        List<NodeDownEvent> downs = new CopyOnWriteArrayList<>();
        joined("survivor").onNodeDown(downs::add);
        List<EvictionEvent> evictions = new CopyOnWriteArrayList<>();
        Clusterix victim = joined(builder("victim").evictionPolicy(EvictionPolicy.STOP));
        victim.onEvicted(evictions::add);
        long incarnation = victim.incarnation();

        Result result = cli("evict", "victim", "--yes", "--note", "host decommissioned, ticket 42");

        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("node victim, incarnation " + incarnation + ", last heartbeat"),
                result.out());
        assertTrue(result.out().contains("LIVE (it will be told it was declared dead"), result.out());
        assertTrue(result.out().contains("evicted node victim (incarnation " + incarnation + ") of {" + prefix
                + "}: TIMED_OUT recorded; the next poll of a survivor reports it (delivery 1); note \"host"
                + " decommissioned, ticket 42\" written to the Redis server's log"), result.out());
        NodeDownEvent expected = new NodeDownEvent("", "victim", incarnation, NodeDownReason.TIMED_OUT, 1);
        await().atMost(PATIENCE).until(() -> downs.contains(expected));
        await().atMost(PATIENCE).until(() -> evictions.equals(List.of(new EvictionEvent("", "victim", incarnation,
                EvictionReason.DECLARED_DEAD))));
        await().during(Duration.ofMillis(3 * TIMEOUT_MS)).atMost(PATIENCE).until(() -> downs.size() == 1);
        assertTrue(cli("history", "--node", "victim").out().contains("TIMED_OUT"));
    }

    @Test
    void withoutYesItAsksAndOnlyAYesEvicts() {
        List<NodeDownEvent> downs = new CopyOnWriteArrayList<>();
        joined("survivor").onNodeDown(downs::add);
        // Live, so that its entry stays until the eviction; STOP: it does not come back.
        Clusterix gone = joined(builder("gone").evictionPolicy(EvictionPolicy.STOP));

        Result refused = cliWith(Map.of(), "no\n", "evict", "gone");
        assertEquals(1, refused.status());
        assertTrue(refused.out().contains("Evict node 'gone' of {" + prefix + "}? Type yes to confirm:"),
                refused.out());
        assertTrue(refused.err().contains("Not confirmed: nothing evicted. Answer 'yes', or give --yes"),
                refused.err());
        Result noAnswer = cliWith(Map.of(), "", "evict", "gone");
        assertEquals(1, noAnswer.status(), "end of input is no answer");

        assertEquals(List.of(), downs);

        long incarnation = gone.incarnation();
        Result confirmed = cliWith(Map.of(), "yes\n", "evict", "gone");
        assertEquals(0, confirmed.status(), confirmed.err());
        assertTrue(confirmed.out().contains("evicted node gone (incarnation " + incarnation + ")"), confirmed.out());
        await().atMost(PATIENCE).until(() -> downs.size() == 1);
        assertEquals("gone", downs.get(0).nodeId());
    }

    @Test
    void anUnknownNodeOrAnotherIncarnationIsRefusedAndNothingIsWritten() {
        Clusterix node = joined("present");
        Result unknown = cli("evict", "absent", "--yes");
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().contains("Node 'absent' has no entry in {" + prefix + "}: nothing to evict."
                + " `clusterix members` lists the entries (check --key-prefix and --id)."), unknown.err());

        Result other = cli("evict", "present", "--yes", "--incarnation", Long.toString(node.incarnation() + 1));
        assertEquals(1, other.status());
        assertTrue(other.err().contains("is owned by incarnation " + node.incarnation()), other.err());
        assertEquals(Long.toString(node.incarnation()), resp.string("HGET", node.keys().owners(), "present"));
    }
}
