package io.clusterix.cli;

import io.clusterix.Clusterix;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RespConnection;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the command tests share: the fixture's real Redis, live clusterix engines on a Lettuce client (heartbeat and
 * poll every {@value #INTERVAL_MS} ms, timeout {@value #TIMEOUT_MS} ms), a key prefix per test, and the command line
 * run in this JVM with that Redis and prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CliTest {
    static final long INTERVAL_MS = 100;
    static final long TIMEOUT_MS = 600;
    static final Duration PATIENCE = Duration.ofSeconds(15);

    RedisEndpoint redis;
    RedisClient engines;
    RespConnection resp;
    String prefix;
    private final List<AutoCloseable> perTest = new ArrayList<>();

    /** What one run of the command line printed and returned. */
    record Result(int status, String out, String err) {
    }

    @BeforeAll
    void startRedis() {
        redis = RedisFixture.redis();
        engines = RedisClient.create(redis.uri());
        resp = new RespConnection(redis);
    }

    @AfterAll
    void stopClients() {
        engines.shutdown();
        resp.close();
    }

    @BeforeEach
    void uniquePrefix() {
        prefix = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closePerTest() throws Exception {
        for (int i = perTest.size() - 1; i >= 0; i--) {
            perTest.get(i).close();
        }
        perTest.clear();
    }

    <T extends AutoCloseable> T closeAfterTest(T resource) {
        perTest.add(resource);
        return resource;
    }

    /** @return a builder for a node of this test's cluster, with the test timing */
    Clusterix.Builder builder(String nodeId) {
        return Clusterix.builder(engines).keyPrefix(prefix).nodeId(nodeId)
                .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).pollInterval(Duration.ofMillis(INTERVAL_MS))
                .timeout(Duration.ofMillis(TIMEOUT_MS)).leaveOnShutdown(false);
    }

    /** @return the node, joined, disposed after the test */
    Clusterix joined(Clusterix.Builder builder) {
        Clusterix node = builder.build();
        closeAfterTest(node::dispose);
        node.initializeNode().orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
        return node;
    }

    Clusterix joined(String nodeId) {
        return joined(builder(nodeId));
    }

    /** Runs the command line on this test's Redis and prefix, with the cluster's test timeout. */
    Result cli(String... args) {
        return cliWith(Map.of(), "", args);
    }

    /**
     * @param env   the environment the command sees
     * @param input what the operator types
     * @param args  the command and its options; {@code --redis-url}, {@code --key-prefix} and {@code --timeout}
     *              are added unless given
     */
    Result cliWith(Map<String, String> env, String input, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!all.contains("--redis-url") && !all.contains("--cluster") && !all.contains("--sentinel")) {
            all.addAll(List.of("--redis-url", redis.uri()));
        }
        if (!all.contains("--key-prefix")) {
            all.addAll(List.of("--key-prefix", prefix));
        }
        if (!all.contains("--timeout")) {
            all.addAll(List.of("--timeout", Long.toString(TIMEOUT_MS)));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ClusterixCli.execute(all.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err), env,
                new BufferedReader(new StringReader(input)));
        return new Result(status, out.toString(), err.toString());
    }
}
