package io.clusterix.jedis;

import io.clusterix.ClusterKeys;
import io.clusterix.fixture.LocalRedisCluster;
import io.clusterix.fixture.RedisFixture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClusterClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Jedis cluster client on the shared Redis Cluster, whose calls are sent one at a time (not pipelined): while the
 * keys' master holds every call ({@code CLIENT PAUSE WRITE} on that master only, which leaves the cluster bus and
 * failure detection alone), 50 calls take the store's 4 senders, not 50 threads.
 */
@Tag("topologies")
class JedisClusterSendersTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aClusterClientsCallsTakeTheStoresSendersNotAThreadEach() {
        LocalRedisCluster cluster = RedisFixture.cluster();
        ClusterKeys keys = ClusterKeys.of("senders-" + UUID.randomUUID().toString().substring(0, 8), "");
        Set<HostAndPort> seeds = cluster.topology().seeds().stream()
                .map(seed -> new HostAndPort(seed.host(), seed.port())).collect(Collectors.toSet());
        // A socket timeout longer than the pause: a held call waits rather than being retried elsewhere.
        try (RedisClusterClient client = RedisClusterClient.builder().nodes(seeds)
                .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(120_000).build()).build();
             CountingExecutor executor = new CountingExecutor();
             PausableRedis master = PausableRedis.of(cluster.rangeOf(keys.hashTag()).master())) {
            JedisHeartbeatStore store = new JedisHeartbeatStore(client, executor, 4);
            // Loads the script on that master; the store learns that this client is not pipelined.
            assertEquals(Set.of(), store.nodes(keys, TIMEOUT).orTimeout(30, TimeUnit.SECONDS).join());
            await().atMost(PATIENCE).until(() -> executor.running() == 0);
            int tasksBefore = executor.tasks();

            master.pauseWrites();
            List<CompletableFuture<Set<String>>> replies = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                replies.add(store.nodes(keys, TIMEOUT));
                long held = i;
                await().atMost(PATIENCE).until(() -> master.held("evalsha") == held);
            }
            for (int i = 0; i < 46; i++) {
                replies.add(store.nodes(keys, TIMEOUT));
            }
            assertEquals(4, executor.tasks() - tasksBefore, "threads asked for 50 calls");
            assertEquals(4, master.held("evalsha"), "calls the master holds");
            master.resume();

            await().atMost(PATIENCE).until(() -> replies.stream().allMatch(CompletableFuture::isDone));
            replies.forEach(reply -> assertEquals(Set.of(), reply.join()));
            assertTrue(executor.maxRunning() <= 4, executor.maxRunning() + " senders ran at once");
        }
    }
}
