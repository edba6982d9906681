package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One Redis client configuration of a whole Spring Boot application, as {@code @SpringBootTest} starts it (a real
 * Tomcat on a random port) against the fixture's real Redis: the bean is built from the application's client, a
 * second application context forms a cluster with it, the health, {@code /actuator/clusterix} and the Prometheus
 * scrape answer over real HTTP with the documented JSON and meters whose values move, and the second context, closed,
 * is reported {@code LEFT} to this one's plain {@code @EventListener}. A subclass names the client it expects and
 * registers the {@code spring.data.redis.*} properties with a {@code @DynamicPropertySource} of its own.
 */
@SpringBootTest(classes = OrdersTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.application.name=orders", "clusterix.node-id=a", "clusterix.heartbeat-interval=100ms",
                "clusterix.poll-interval=100ms", "clusterix.timeout=600ms", "clusterix.metadata.zone=zone-a",
                "management.endpoints.web.exposure.include=health,clusterix,prometheus",
                "management.endpoint.health.show-details=always"})
@DirtiesContext // this class's node leaves when its class is done, not when the JVM exits
abstract class AbstractClusterixApplicationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** What the second application copies from this one, besides the clusterix.* settings. */
    private static final List<String> REDIS_PROPERTIES = List.of("spring.data.redis.host", "spring.data.redis.port",
            "spring.data.redis.username", "spring.data.redis.password", "spring.data.redis.client-type",
            "spring.data.redis.cluster.nodes", "spring.data.redis.sentinel.master", "spring.data.redis.sentinel.nodes",
            "spring.data.redis.lettuce.cluster.refresh.adaptive");

    @LocalServerPort
    private int port;
    @Autowired
    private Clusterix cluster;
    @Autowired
    private ClusterixRedis redis;
    @Autowired
    private OrdersTestApplication.Recorder heard;
    @Autowired
    private Environment environment;

    private final List<ConfigurableApplicationContext> others = new ArrayList<>();

    /** Every context of these tests gets a key prefix of its own: no state is shared with another class's node. */
    @DynamicPropertySource
    static void keyPrefix(DynamicPropertyRegistry registry) {
        String prefix = "sbt-" + UUID.randomUUID().toString().substring(0, 8);
        registry.add("clusterix.key-prefix", () -> prefix);
    }

    /**
     * @param registry where a subclass's {@code @DynamicPropertySource} registers
     * @param redis    the fixture's standalone server
     */
    static void standalone(DynamicPropertyRegistry registry, RedisEndpoint redis) {
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        if (redis.username() != null) {
            registry.add("spring.data.redis.username", redis::username);
        }
        if (redis.password() != null) {
            registry.add("spring.data.redis.password", redis::password);
        }
    }

    /**
     * @param registry where a subclass's {@code @DynamicPropertySource} registers
     * @param topology the fixture's Redis Cluster or Sentinel deployment
     */
    static void topology(DynamicPropertyRegistry registry, RedisTopology topology) {
        String hosts = topology.seeds().stream().map(seed -> seed.host() + ":" + seed.port())
                .collect(Collectors.joining(","));
        if (topology.kind() == RedisTopology.Kind.CLUSTER) {
            registry.add("spring.data.redis.cluster.nodes", () -> hosts);
            registry.add("spring.data.redis.lettuce.cluster.refresh.adaptive", () -> "true");
        } else {
            registry.add("spring.data.redis.sentinel.master", topology::masterName);
            registry.add("spring.data.redis.sentinel.nodes", () -> hosts);
        }
        if (topology.username() != null) {
            registry.add("spring.data.redis.username", topology::username);
        }
        if (topology.password() != null) {
            registry.add("spring.data.redis.password", topology::password);
        }
    }

    /** @return the fixture's standalone server */
    static RedisEndpoint fixtureRedis() {
        return RedisFixture.redis();
    }

    /**
     * @return the class of client the auto-configuration must have taken, by name: a type of one Jedis line is missing
     *         from another, and these tests run with Boot 4.1's and 4.0's
     */
    abstract String expectedClient();

    /** @return true where Spring Boot 4.0 (Spring Data Redis 4.0) runs these tests, not 4.1 */
    static boolean boot40() {
        return SpringBootVersion.getVersion().startsWith("4.0.");
    }

    /** @return configuration classes the second application needs as well as {@link OrdersTestApplication} */
    Class<?>[] moreSources() {
        return new Class<?>[0];
    }

    @AfterEach
    void closeOthers() {
        others.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void theNodeIsBuiltFromTheApplicationsClientAndJoinedWithTheContext() throws ClassNotFoundException {
        assertThat(redis.client()).as(redis.source()).isInstanceOf(Class.forName(expectedClient()));
        assertThat(cluster.incarnation()).as("joined by the lifecycle").isPositive();
        assertThat(cluster.id()).as("cluster id from spring.application.name").isEqualTo("orders");
        assertThat(cluster.view().member("a")).isPresent();
    }

    @Test
    void aSecondApplicationFormsAClusterTheStateAnswersOverHttpAndItsGracefulCloseIsReportedLeft() throws Exception {
        HttpJson http = new HttpJson("http://127.0.0.1:" + port + "/actuator/");
        await().atMost(PATIENCE).until(() -> members(cluster).equals(Set.of("a")));
        String before = http.text("prometheus");
        assertThat(before).containsPattern(HttpJson.meter("clusterix_members", "", "1.0"))
                .containsPattern(HttpJson.meter("clusterix_node_downs_total", "reason=\"left\"", "0.0"));
        double heartbeats = HttpJson.heartbeatCount(before);

        ConfigurableApplicationContext b = startSecond();
        Clusterix second = b.getBean(Clusterix.class);
        await().atMost(PATIENCE).until(() -> members(cluster).equals(Set.of("a", "b"))
                && members(second).equals(Set.of("a", "b")));
        await().atMost(PATIENCE).until(() -> heard.heard(MembershipEvent.Type.JOINED, "b"));
        assertThat(cluster.view().member("b").orElseThrow().metadata()).containsEntry("zone", "zone-b");

        assertHealthAndEndpoint(http);
        await().atMost(PATIENCE).until(() -> {
            String scrape = http.text("prometheus");
            return scrape.contains("clusterix_heartbeat_seconds_bucket{")
                    && HttpJson.meter("clusterix_members", "", "2.0").matcher(scrape).find()
                    && HttpJson.heartbeatCount(scrape) > heartbeats;
        });

        long bIncarnation = second.incarnation();
        b.close();

        assertThat(second.incarnation()).as("left and disposed by the context").isZero();
        await().atMost(PATIENCE).until(() -> heard.downs.contains(new NodeDownEvent("orders", "b", bIncarnation,
                NodeDownReason.LEFT, 1)));
        await().atMost(PATIENCE).until(() -> heard.heard(MembershipEvent.Type.LEFT, "b"));
        assertThat(members(cluster)).containsExactly("a");
        assertThat(heard.downs).as("one report of the one leave").hasSize(1);
        await().atMost(PATIENCE).until(() -> {
            String scrape = http.text("prometheus");
            return HttpJson.meter("clusterix_node_downs_total", "reason=\"left\"", "1.0").matcher(scrape).find()
                    && HttpJson.meter("clusterix_members", "", "1.0").matcher(scrape).find();
        });
    }

    private void assertHealthAndEndpoint(HttpJson http) throws Exception {
        Map<String, Object> health = HttpJson.map(HttpJson.map(http.json("health").get("components")).get("clusterix"));
        assertThat(health).containsEntry("status", "UP");
        assertThat(HttpJson.map(health.get("details"))).containsEntry("node", "a").containsEntry("cluster", "orders")
                .containsEntry("connectionState", "CONNECTED").containsEntry("members", 2)
                .containsEntry("incarnation", cluster.incarnation());

        Map<String, Object> node = http.json("clusterix");
        assertThat(node).containsEntry("node", "a").containsEntry("cluster", "orders")
                .containsEntry("connectionState", "CONNECTED").containsEntry("leader", true)
                .containsEntry("keyPrefix", environment.getProperty("clusterix.key-prefix"))
                .containsEntry("reason", null);
        assertThat(((Number) node.get("incarnation")).longValue()).isEqualTo(cluster.incarnation());
        Map<String, Object> view = HttpJson.map(node.get("view"));
        assertThat(view).containsEntry("leader", "a");
        assertThat(((Number) view.get("version")).longValue()).isEqualTo(cluster.view().version());
        List<Map<String, Object>> members = HttpJson.list(view.get("members"));
        assertThat(members).extracting(m -> m.get("node")).containsExactly("a", "b");
        assertThat(members.get(0)).containsEntry("metadata", Map.of("zone", "zone-a"));
        assertThat(members.get(1)).containsEntry("metadata", Map.of("zone", "zone-b"));
        assertThat(((Number) members.get(1).get("incarnation")).longValue()).isPositive();
    }

    /** @return node b: this application's settings (the same Redis, key prefix, timings) but its own id */
    private ConfigurableApplicationContext startSecond() {
        List<String> properties = new ArrayList<>(List.of("spring.application.name=orders", "clusterix.node-id=b",
                "clusterix.key-prefix=" + environment.getProperty("clusterix.key-prefix"),
                "clusterix.heartbeat-interval=100ms", "clusterix.poll-interval=100ms", "clusterix.timeout=600ms",
                "clusterix.metadata.zone=zone-b"));
        for (String name : REDIS_PROPERTIES) {
            String value = environment.getProperty(name);
            if (value != null) {
                properties.add(name + "=" + value);
            }
        }
        ConfigurableApplicationContext b = new SpringApplicationBuilder(OrdersTestApplication.class)
                .sources(moreSources()).web(WebApplicationType.NONE).properties(properties.toArray(String[]::new))
                .run();
        others.add(b);
        return b;
    }

    private static Set<String> members(Clusterix node) {
        return node.view().members().stream().map(Member::nodeId).collect(Collectors.toSet());
    }
}
