package io.clusterix.micrometer;

import io.clusterix.Clusterix;
import io.clusterix.fixture.RedisFixture;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meters against a real Redis (the fixture's) and real nodes over Lettuce: the values move as the cluster does.
 * Heartbeat and poll every 100 ms, timeout 600 ms, as in the TCK.
 */
class ClusterixMetricsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static RedisClient redis;

    private final List<Clusterix> nodes = new ArrayList<>();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private String prefix;

    @BeforeAll
    static void connect() {
        redis = RedisClient.create(RedisFixture.redis().uri());
    }

    @AfterAll
    static void disconnect() {
        redis.shutdown();
    }

    @BeforeEach
    void uniquePrefix() {
        prefix = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void disposeNodes() {
        nodes.forEach(Clusterix::dispose);
    }

    private Clusterix node(String nodeId) {
        Clusterix node = Clusterix.builder(redis).keyPrefix(prefix).id("orders").nodeId(nodeId)
                .heartbeatInterval(Duration.ofMillis(100)).pollInterval(Duration.ofMillis(100))
                .timeout(Duration.ofMillis(600)).leaveOnShutdown(false).build();
        nodes.add(node);
        return node;
    }

    private static void join(Clusterix node) {
        node.initializeNode().orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    /** @return the counter's count, 0 for one not registered (yet) */
    private double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void membersHeartbeatsLeavesAndDeathsMoveTheMeters() {
        Clusterix observed = node("a");
        new ClusterixMetrics(observed, Tags.of("app", "test")).bindTo(registry);
        assertEquals(1, gauge("clusterix.connection.state", "state", "not_member"), "not joined yet");
        assertEquals(0, registry.get("clusterix.node.downs").tags("reason", "left").counter().count(),
                "registered at 0 before anything happened");
        assertEquals(0, registry.get("clusterix.evictions").tags("reason", "taken_over").counter().count());

        join(observed);
        Clusterix leaver = node("b");
        join(leaver);

        await().atMost(PATIENCE).until(() -> gauge("clusterix.members") == 2);
        assertEquals(1, gauge("clusterix.connection.state", "state", "connected"));
        assertEquals(0, gauge("clusterix.connection.state", "state", "not_member"));
        assertEquals(1, gauge("clusterix.leader"), "the oldest member");
        Timer heartbeat = registry.get("clusterix.heartbeat").tags("cluster", "orders", "node", "a", "app", "test")
                .timer();
        await().atMost(PATIENCE).until(() -> heartbeat.count() >= 5);
        long seen = heartbeat.count();
        await().atMost(PATIENCE).until(() -> heartbeat.count() > seen);
        assertTrue(heartbeat.totalTime(TimeUnit.NANOSECONDS) > 0);
        assertTrue(heartbeat.max(TimeUnit.MILLISECONDS) < 600, "a reply within timeout: " + heartbeat.max(
                TimeUnit.MILLISECONDS) + " ms");
        assertNotNull(heartbeat.takeSnapshot().percentileValues(), "percentiles are published");
        assertEquals(3, heartbeat.takeSnapshot().percentileValues().length);
        // The first join brings a view, not events: b's join is the change a applies.
        await().atMost(PATIENCE).until(() -> count("clusterix.membership.changes", "type", "joined", "resync",
                "false") == 1);

        // a is the one survivor of each death, so a handles it: with another one, either could (exactly one does).
        leaver.close();
        await().atMost(PATIENCE).until(() -> count("clusterix.node.downs", "reason", "left") == 1);
        await().atMost(PATIENCE).until(() -> count("clusterix.membership.changes", "type", "left") == 1);

        Clusterix crasher = node("c");
        join(crasher);
        await().atMost(PATIENCE).until(() -> gauge("clusterix.members") == 2);
        await().atMost(PATIENCE).until(() -> count("clusterix.membership.changes", "type", "joined", "resync",
                "false") == 2);
        crasher.dispose();
        await().atMost(PATIENCE).until(() -> count("clusterix.node.downs", "reason", "timed_out") == 1);
        await().atMost(PATIENCE).until(() -> gauge("clusterix.members") == 1);
        await().atMost(PATIENCE).until(() -> count("clusterix.membership.changes", "type", "timed_out") == 1);
        assertEquals(0, count("clusterix.node.downs.redelivered", "reason", "timed_out"));
        assertEquals(0, count("clusterix.evictions", "reason", "declared_dead"));

        observed.close();
        assertEquals(1, gauge("clusterix.connection.state", "state", "not_member"), "after close()");
        assertEquals(0, gauge("clusterix.connection.state", "state", "connected"));
        assertEquals(0, gauge("clusterix.leader"));
    }

    @Test
    void aDeathWhoseFirstHandlerDiedIsCountedAsRedeliveredAndAThrowingListenerAsAnError() {
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Clusterix handler = node("handler");
        handler.onNodeDown(down -> {
            handling.countDown();
            try {
                never.await(); // still cleaning up when this node dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        join(handler);
        Clusterix victim = node("victim");
        join(victim);
        victim.dispose();
        try {
            await().atMost(PATIENCE).until(() -> handling.getCount() == 0);
            Clusterix observed = node("observed");
            ClusterixMetrics metrics = new ClusterixMetrics(observed);
            metrics.bindTo(registry);
            observed.onMembershipChanged(change -> {
                throw new IllegalStateException("a listener that throws");
            });
            join(observed);
            assertEquals(0, count("clusterix.errors", "exception", "IllegalStateException"),
                    "a join brings a view, not changes");

            handler.dispose(); // dies in the middle of its listener: the victim's death is handed on

            await().atMost(PATIENCE).until(() -> count("clusterix.node.downs.redelivered", "reason", "timed_out")
                    == 1);
            await().atMost(PATIENCE).until(() -> count("clusterix.node.downs", "reason", "timed_out") == 2);
            // The handler's own TIMED_OUT is a change the throwing listener gets.
            await().atMost(PATIENCE).until(() -> count("clusterix.errors", "exception", "IllegalStateException")
                    == 1);
            metrics.close();
        } finally {
            never.countDown();
        }
    }
}
