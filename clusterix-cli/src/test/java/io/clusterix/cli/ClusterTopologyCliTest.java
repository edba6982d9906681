package io.clusterix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterix.Clusterix;
import io.clusterix.fixture.LocalRedisCluster;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code members} and {@code doctor} on the fixture's local Redis Cluster (3 masters, 3 replicas): -Ptopologies. */
@Tag("topologies")
class ClusterTopologyCliTest extends CliTest {
    private LocalRedisCluster cluster;
    private RedisClusterClient clusterEngines;
    private String seeds;

    @BeforeAll
    void startCluster() {
        cluster = RedisFixture.cluster();
        clusterEngines = RedisClusterClient.create(cluster.topology().seeds().stream()
                .map(s -> RedisURI.create(s.host(), s.port())).collect(Collectors.toList()));
        seeds = cluster.topology().seeds().stream().map(s -> s.host() + ":" + s.port())
                .collect(Collectors.joining(","));
    }

    @AfterAll
    void stopClusterClient() {
        clusterEngines.shutdown();
    }

    private Clusterix clusterNode(String nodeId) {
        Clusterix node = Clusterix.builder(clusterEngines).keyPrefix(prefix).nodeId(nodeId)
                .heartbeatInterval(Duration.ofMillis(INTERVAL_MS)).pollInterval(Duration.ofMillis(INTERVAL_MS))
                .timeout(Duration.ofMillis(TIMEOUT_MS)).leaveOnShutdown(false).build();
        closeAfterTest(node::dispose);
        node.initializeNode().orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
        return node;
    }

    @Test
    void membersListsTheClusterOnRedisCluster() throws Exception {
        Clusterix first = clusterNode("c1");
        clusterNode("c2");

        Result result = cli("members", "--json", "--cluster", seeds);

        assertEquals(0, result.status(), result.err());
        JsonNode state = new ObjectMapper().readTree(result.out());
        assertEquals(List.of("c1", "c2"), List.of(state.get("members").get(0).get("nodeId").asText(),
                state.get("members").get(1).get("nodeId").asText()));
        assertEquals("c1", state.get("leader").asText());
        assertEquals(first.incarnation(), state.get("members").get(0).get("incarnation").asLong());
    }

    @Test
    void doctorNamesTheSlotAndTheMasterOfTheKeysAndPasses() {
        Clusterix node = clusterNode("c1");
        String key = node.keys().heartbeats();
        RedisEndpoint master = cluster.rangeOf(key).master();

        Result doctor = cli("doctor", "--cluster", seeds, "--duration-ms", "300");

        assertEquals(0, doctor.status(), doctor.out() + doctor.err());
        assertTrue(doctor.out().contains("(redis_mode cluster), Redis Cluster: the keys of {" + prefix
                + "} are in slot " + LocalRedisCluster.slot(key) + ", master "), doctor.out());
        assertTrue(doctor.out().contains(":" + master.port()), doctor.out());
        assertTrue(doctor.out().contains("[ OK ] acl: user default may run every command clusterix needs on ~{"
                + prefix + "* (23 probed)"), doctor.out());
        assertTrue(doctor.out().contains("+hlen +ping +cluster|slots +cluster|nodes +info"), doctor.out());
        assertTrue(doctor.out().contains("[ OK ] script: clusterix.lua loads"), doctor.out());
        assertTrue(doctor.out().contains("[ OK ] replication: master with 1 replica"), doctor.out());
    }
}
