package io.clusterix.jedis;

import io.clusterix.ClusterKeys;
import io.clusterix.ClusterixException;
import io.clusterix.spi.ScriptedHeartbeatStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a {@link JedisHeartbeatStore} does with calls while Redis does not answer, on a Redis of its own (its
 * {@code INFO commandstats} are this test's) held with {@code CLIENT PAUSE WRITE}.
 */
class JedisHeartbeatStoreBoundsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static PausableRedis redis;

    private RedisClient client;
    private CountingExecutor executor;
    private ClusterKeys keys;

    @BeforeAll
    static void startRedis() {
        redis = PausableRedis.start();
        // So that every call is one EVALSHA (no NOSCRIPT, no EVAL).
        redis.admin().call("SCRIPT", "LOAD", ScriptedHeartbeatStore.scriptText());
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void open() {
        // A socket timeout longer than any pause here: a held call waits instead of failing.
        client = RedisClient.builder().hostAndPort(redis.endpoint().host(), redis.endpoint().port())
                .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(120_000).build()).build();
        executor = new CountingExecutor();
        keys = ClusterKeys.of("bounds-" + UUID.randomUUID().toString().substring(0, 8), "");
    }

    @AfterEach
    void close() {
        redis.resume();
        client.close();
        executor.close();
    }

    @Test
    void callsTheCallerGaveUpOnBeforeTheyWereSentAreNeverSent() {
        JedisHeartbeatStore store = new JedisHeartbeatStore(client, executor, 1);
        long before = redis.executed("evalsha");
        redis.pauseWrites();
        CompletableFuture<Set<String>> first = store.nodes(keys, TIMEOUT);
        await().atMost(PATIENCE).until(() -> redis.held("evalsha") == 1);

        List<CompletableFuture<Set<String>>> givenUp = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            givenUp.add(store.nodes(keys, TIMEOUT));
        }
        // As the engine gives up after its timeout (orTimeout), or as a newer one may (cancel).
        givenUp.subList(0, 5).forEach(reply -> reply.orTimeout(1, TimeUnit.MILLISECONDS));
        givenUp.subList(5, 10).forEach(reply -> reply.cancel(false));
        await().atMost(PATIENCE).until(() -> givenUp.stream().allMatch(CompletableFuture::isDone));
        redis.resume();

        assertEquals(Set.of(), first.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
        assertEquals(Set.of(), store.nodes(keys, TIMEOUT).orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
        assertEquals(2, redis.executed("evalsha") - before, "EVALSHAs Redis ran: the first call and the last");
        assertEquals(10, store.abandonedCalls());
    }

    @Test
    void aCallBeyondTheQueuesCapacityFailsAtOnceSayingWhy() {
        JedisHeartbeatStore store = new JedisHeartbeatStore(client, executor, 1);
        long before = redis.executed("evalsha");
        redis.pauseWrites();
        List<CompletableFuture<Set<String>>> replies = new ArrayList<>();
        replies.add(store.nodes(keys, TIMEOUT));
        await().atMost(PATIENCE).until(() -> redis.held("evalsha") == 1);
        for (int i = 0; i < JedisHeartbeatStore.QUEUE_CAPACITY; i++) {
            replies.add(store.nodes(keys, TIMEOUT));
        }

        CompletableFuture<Set<String>> refused = store.nodes(keys, TIMEOUT);
        assertTrue(refused.isCompletedExceptionally(), "failed at once");
        Throwable failure = assertThrows(CompletionException.class, refused::join).getCause();
        assertInstanceOf(ClusterixException.class, failure);
        assertTrue(failure.getMessage().contains("queue is full") && failure.getMessage().contains("too slowly"),
                failure.getMessage());
        assertEquals(1, store.rejectedCalls());
        redis.resume();

        await().atMost(PATIENCE).until(() -> replies.stream().allMatch(CompletableFuture::isDone));
        replies.forEach(reply -> assertEquals(Set.of(), reply.join()));
        assertEquals(JedisHeartbeatStore.QUEUE_CAPACITY + 1, redis.executed("evalsha") - before, "EVALSHAs Redis ran");
    }
}
