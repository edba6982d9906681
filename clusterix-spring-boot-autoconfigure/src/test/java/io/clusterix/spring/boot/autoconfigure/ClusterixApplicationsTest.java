package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.DuplicateNodeException;
import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import redis.clients.jedis.JedisPool;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Whole Spring Boot applications (every auto-configuration on the class path: Spring Data Redis with Lettuce,
 * Actuator, Micrometer, Spring MVC) against the fixture's real Redis: two applications form a cluster, a graceful
 * close reaches the other through a plain {@code @EventListener}, and health, endpoint and meters answer over real
 * HTTP.
 */
class ClusterixApplicationsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final RedisEndpoint REDIS = RedisFixture.redis();

    private final String prefix = "apps-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Recorder.class)
    static class OrdersApplication {
    }

    /** What an application's own listeners receive. */
    static class Recorder {
        final List<NodeDownEvent> downs = new CopyOnWriteArrayList<>();
        final List<MembershipEvent> changes = new CopyOnWriteArrayList<>();

        @EventListener
        void on(NodeDownEvent down) {
            downs.add(down);
        }

        @EventListener
        void on(MembershipEvent change) {
            changes.add(change);
        }
    }

    @AfterEach
    void closeApplications() {
        applications.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext start(String nodeId, WebApplicationType web, Class<?>... more) {
        return start(nodeId, web, ClusterixAutoConfigurationTest.redisAt(REDIS), more);
    }

    private ConfigurableApplicationContext start(String nodeId, WebApplicationType web, String[] redis,
                                                 Class<?>... more) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OrdersApplication.class).sources(more)
                .web(web).properties(redis)
                .properties("spring.application.name=orders", "clusterix.key-prefix=" + prefix,
                        "clusterix.node-id=" + nodeId,
                        "clusterix.heartbeat-interval=100ms", "clusterix.poll-interval=100ms",
                        "clusterix.timeout=600ms", "clusterix.metadata.zone=zone-" + nodeId, "server.port=0",
                        "management.endpoints.web.exposure.include=health,clusterix,metrics,prometheus",
                        "management.endpoint.health.show-details=always")
                .run();
        applications.add(context);
        return context;
    }

    private static Set<String> members(ConfigurableApplicationContext context) {
        return context.getBean(Clusterix.class).view().members().stream().map(Member::nodeId)
                .collect(Collectors.toSet());
    }

    @Test
    void twoApplicationsFormAClusterAndAGracefulCloseIsReportedLeftToTheOthersEventListener() {
        formAClusterThenLeave(start("a", WebApplicationType.NONE), start("b", WebApplicationType.NONE));
    }

    @Test
    void twoApplicationsWithARedissonClientBeanDoTheSame() {
        ConfigurableApplicationContext a = start("a", WebApplicationType.NONE,
                ClusterixAutoConfigurationTest.RedissonConfiguration.class);
        ConfigurableApplicationContext b = start("b", WebApplicationType.NONE,
                ClusterixAutoConfigurationTest.RedissonConfiguration.class);
        assertThat(a.getBean(ClusterixRedis.class).client()).isInstanceOf(org.redisson.api.RedissonClient.class);
        formAClusterThenLeave(a, b);
    }

    @Test
    void twoApplicationsOnSpringDataRedisJedisDoTheSame() {
        List<String> jedis = new ArrayList<>(List.of(ClusterixAutoConfigurationTest.redisAt(REDIS)));
        jedis.add("spring.data.redis.client-type=jedis");
        ConfigurableApplicationContext a = start("a", WebApplicationType.NONE, jedis.toArray(String[]::new));
        ConfigurableApplicationContext b = start("b", WebApplicationType.NONE, jedis.toArray(String[]::new));
        assertThat(a.getBean(ClusterixRedis.class).client()).isInstanceOf(JedisPool.class);
        formAClusterThenLeave(a, b);
    }

    @Test
    @Tag("topologies")
    void onARedisClusterTheApplicationsUseTheFactorysRedisClusterClient() {
        RedisTopology cluster = RedisFixture.topology(RedisTopology.Kind.CLUSTER);
        List<String> redis = new ArrayList<>(List.of("spring.data.redis.cluster.nodes=" + hosts(cluster),
                "spring.data.redis.lettuce.cluster.refresh.adaptive=true"));
        credentials(cluster, redis);
        ConfigurableApplicationContext a = start("a", WebApplicationType.NONE, redis.toArray(String[]::new));
        ConfigurableApplicationContext b = start("b", WebApplicationType.NONE, redis.toArray(String[]::new));
        assertThat(a.getBean(ClusterixRedis.class).client()).isInstanceOf(RedisClusterClient.class);
        formAClusterThenLeave(a, b);
    }

    @Test
    @Tag("topologies")
    void withRedisSentinelTheApplicationsUseTheFactorysSentinelClient() {
        RedisTopology sentinel = RedisFixture.topology(RedisTopology.Kind.SENTINEL);
        List<String> redis = new ArrayList<>(List.of("spring.data.redis.sentinel.master=" + sentinel.masterName(),
                "spring.data.redis.sentinel.nodes=" + hosts(sentinel)));
        credentials(sentinel, redis);
        if (sentinel.password() != null) {
            redis.add("spring.data.redis.sentinel.password=" + sentinel.password());
        }
        ConfigurableApplicationContext a = start("a", WebApplicationType.NONE, redis.toArray(String[]::new));
        ConfigurableApplicationContext b = start("b", WebApplicationType.NONE, redis.toArray(String[]::new));
        assertThat(a.getBean(ClusterixRedis.class).client()).isInstanceOf(io.lettuce.core.RedisClient.class);
        formAClusterThenLeave(a, b);
    }

    private static String hosts(RedisTopology topology) {
        return topology.seeds().stream().map(seed -> seed.host() + ":" + seed.port()).collect(Collectors.joining(","));
    }

    private static void credentials(RedisTopology topology, List<String> redis) {
        if (topology.username() != null) {
            redis.add("spring.data.redis.username=" + topology.username());
        }
        if (topology.password() != null) {
            redis.add("spring.data.redis.password=" + topology.password());
        }
    }

    private void formAClusterThenLeave(ConfigurableApplicationContext a, ConfigurableApplicationContext b) {
        await().atMost(PATIENCE).until(() -> members(a).equals(Set.of("a", "b")) && members(b).equals(Set.of("a",
                "b")));
        assertThat(a.getBean(Clusterix.class).id()).isEqualTo("orders");
        assertThat(a.getBean(Clusterix.class).view().member("b").orElseThrow().metadata())
                .containsEntry("zone", "zone-b");
        Recorder heard = a.getBean(Recorder.class);
        await().atMost(PATIENCE).until(() -> heard.changes.stream().anyMatch(c ->
                c.type() == MembershipEvent.Type.JOINED && c.member().nodeId().equals("b")));
        Clusterix leaving = b.getBean(Clusterix.class);
        long bIncarnation = leaving.incarnation();

        b.close();

        assertThat(leaving.incarnation()).as("left and disposed by the context").isZero();
        await().atMost(PATIENCE).until(() -> heard.downs.contains(new NodeDownEvent("orders", "b", bIncarnation,
                NodeDownReason.LEFT, 1)));
        await().atMost(PATIENCE).until(() -> heard.changes.stream().anyMatch(c ->
                c.type() == MembershipEvent.Type.LEFT && c.member().nodeId().equals("b")));
        assertThat(members(a)).containsExactly("a");
        assertThat(heard.downs).as("one report of the one leave").hasSize(1);
    }

    @Test
    void aSecondApplicationUnderALiveNodeIdFailsToStartAndNamesThePropertyToChange() {
        ConfigurableApplicationContext first = start("a", WebApplicationType.NONE);

        Throwable failure = catchThrowable(() -> start("a", WebApplicationType.NONE));

        assertThat(failure).hasStackTraceContaining("clusterix could not join cluster")
                .hasStackTraceContaining("Give every running instance its own clusterix.node-id");
        assertThat(findCause(failure, DuplicateNodeException.class)).isNotNull();
        assertThat(members(first)).as("the live node is undisturbed").containsExactly("a");
        assertThat(first.getBean(Clusterix.class).incarnation()).isPositive();
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Test
    void healthEndpointMetersAndThePrometheusScrapeAnswerOverHttp() throws Exception {
        ConfigurableApplicationContext a = start("a", WebApplicationType.SERVLET);
        start("b", WebApplicationType.NONE);
        await().atMost(PATIENCE).until(() -> members(a).size() == 2);
        String base = "http://127.0.0.1:" + a.getEnvironment().getProperty("local.server.port") + "/actuator/";

        Map<String, Object> health = get(base + "health/clusterix");
        assertThat(health).containsEntry("status", "UP");
        assertThat(details(health)).containsEntry("node", "a").containsEntry("cluster", "orders")
                .containsEntry("connectionState", "CONNECTED").containsEntry("members", 2);

        Map<String, Object> node = get(base + "clusterix");
        assertThat(node).containsEntry("node", "a").containsEntry("cluster", "orders")
                .containsEntry("connectionState", "CONNECTED").containsEntry("leader", true)
                .containsEntry("keyPrefix", prefix);
        assertThat(((Number) node.get("incarnation")).longValue()).isEqualTo(a.getBean(Clusterix.class)
                .incarnation());
        Map<String, Object> view = details(node.get("view"));
        assertThat(view).containsEntry("leader", "a");
        assertThat(((Number) view.get("version")).longValue()).isPositive();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> members = (List<Map<String, Object>>) view.get("members");
        assertThat(members).extracting(m -> m.get("node")).containsExactly("a", "b");
        assertThat(members.get(1).get("metadata")).isEqualTo(Map.of("zone", "zone-b"));

        Map<String, Object> heartbeats = get(base + "metrics/clusterix.heartbeat");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> measurements = (List<Map<String, Object>>) heartbeats.get("measurements");
        double count = measurements.stream().filter(m -> "COUNT".equals(m.get("statistic")))
                .mapToDouble(m -> ((Number) m.get("value")).doubleValue()).findFirst().orElseThrow();
        assertThat(count).as("heartbeats timed").isPositive();
        await().atMost(PATIENCE).until(() -> {
            List<Map<String, Object>> again = measurements(get(base + "metrics/clusterix.heartbeat"));
            return again.stream().anyMatch(m -> "COUNT".equals(m.get("statistic"))
                    && ((Number) m.get("value")).doubleValue() > count);
        });
        Map<String, Object> gauge = get(base + "metrics/clusterix.members");
        assertThat(measurements(gauge).get(0).get("value")).isEqualTo(2.0);

        String scrape = text(base + "prometheus");
        assertThat(scrape).containsPattern("(?m)^clusterix_members\\{[^}]*node=\"a\"[^}]*\\} 2\\.0$")
                .containsPattern("(?m)^clusterix_connection_state\\{[^}]*state=\"connected\"[^}]*\\} 1\\.0$")
                .containsPattern("(?m)^clusterix_node_downs_total\\{[^}]*reason=\"left\"[^}]*\\} 0\\.0$")
                .contains("clusterix_heartbeat_seconds_bucket{").contains("clusterix_membership_changes_total{");
        double scraped = heartbeatCount(scrape);
        assertThat(scraped).isPositive();
        await().atMost(PATIENCE).until(() -> heartbeatCount(text(base + "prometheus")) > scraped);
    }

    private static double heartbeatCount(String scrape) {
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("(?m)^clusterix_heartbeat_seconds_count\\{[^}]*"
                + "node=\"a\"[^}]*\\} ([0-9.eE+]+)$").matcher(scrape);
        assertThat(count.find()).as(scrape).isTrue();
        return Double.parseDouble(count.group(1));
    }

    private static String text(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> measurements(Map<String, Object> metric) {
        return (List<Map<String, Object>>) metric.get("measurements");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Object health) {
        Map<String, Object> map = (Map<String, Object>) health;
        return map.containsKey("details") ? (Map<String, Object>) map.get("details") : map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JsonMapper.builder().build().readValue(response.body(), Map.class);
    }
}
