package io.clusterix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterix.Clusterix;
import io.clusterix.fixture.LocalRedisSentinel;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code members} and {@code doctor} through the fixture's Sentinels (master, replica, 3 Sentinels): -Ptopologies. */
@Tag("topologies")
class SentinelTopologyCliTest extends CliTest {
    private LocalRedisSentinel sentinel;
    private RedisClient sentinelEngines;
    private String sentinels;

    @BeforeAll
    void startSentinel() {
        sentinel = RedisFixture.sentinel();
        sentinels = sentinel.topology().seeds().stream().map(s -> s.host() + ":" + s.port())
                .collect(Collectors.joining(","));
        sentinelEngines = RedisClient.create("redis-sentinel://" + sentinels + "#" + LocalRedisSentinel.MASTER_NAME);
    }

    @AfterAll
    void stopSentinelClient() {
        sentinelEngines.shutdown();
    }

    @Test
    void membersAndDoctorFindTheMasterThroughTheSentinels() throws Exception {
        Clusterix node = Clusterix.builder(sentinelEngines).keyPrefix(prefix).nodeId("s1")
                .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).pollInterval(Duration.ofMillis(INTERVAL_MS))
                .timeout(Duration.ofMillis(TIMEOUT_MS)).leaveOnShutdown(false).build();
        closeAfterTest(node::dispose);
        node.initializeNode().orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();

        Result members = cli("members", "--json", "--sentinel", sentinels, "--master", LocalRedisSentinel.MASTER_NAME);
        assertEquals(0, members.status(), members.err());
        JsonNode state = new ObjectMapper().readTree(members.out());
        assertEquals("s1", state.get("leader").asText());
        assertEquals(node.incarnation(), state.get("members").get(0).get("incarnation").asLong());

        RedisEndpoint master = sentinel.master();
        Result doctor = cli("doctor", "--sentinel", sentinels, "--master", LocalRedisSentinel.MASTER_NAME,
                "--duration-ms", "300");
        assertEquals(0, doctor.status(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("Sentinel: master '" + LocalRedisSentinel.MASTER_NAME + "' via Sentinels ["),
                doctor.out());
        assertTrue(doctor.out().contains(", master at " + master.host() + ":" + master.port()), doctor.out());
        assertTrue(doctor.out().contains("[ OK ] replication: master with 1 replica"), doctor.out());
    }
}
