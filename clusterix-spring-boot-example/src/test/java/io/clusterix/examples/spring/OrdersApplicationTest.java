package io.clusterix.examples.spring;

import io.clusterix.NodeDownReason;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example as it is run, against the fixture's real Redis: two instances (in one JVM here; the README runs them as
 * processes), GET /members over HTTP lists both, and when one stops the other's {@link SessionCleanup} gets it.
 */
class OrdersApplicationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final String prefix = "example-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext start(String nodeId) {
        RedisEndpoint redis = RedisFixture.redis();
        List<String> properties = new ArrayList<>(List.of("spring.data.redis.host=" + redis.host(),
                "spring.data.redis.port=" + redis.port(), "server.port=0", "clusterix.key-prefix=" + prefix,
                // One JVM, port 0: the default id (name, host, pid) would be the same for both.
                "clusterix.node-id=" + nodeId));
        if (redis.password() != null) {
            properties.add("spring.data.redis.password=" + redis.password());
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OrdersApplication.class)
                .properties(properties.toArray(String[]::new)).run();
        instances.add(context);
        return context;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void membersListsBothInstancesAndTheSurvivorCleansUpAfterTheOneThatStopped() throws Exception {
        ConfigurableApplicationContext first = start("orders-1");
        ConfigurableApplicationContext second = start("orders-2");
        String members = "http://127.0.0.1:" + first.getEnvironment().getProperty("local.server.port") + "/members";

        await().atMost(PATIENCE).until(() -> get(members).contains("\"orders-2\""));
        assertThat(get(members)).contains("\"self\":\"orders-1\"").contains("\"leader\":\"orders-1\"")
                .contains("\"orders-1\"");

        second.close();

        SessionCleanup cleanup = first.getBean(SessionCleanup.class);
        await().atMost(PATIENCE).until(() -> cleanup.cleaned().stream().anyMatch(down ->
                down.nodeId().equals("orders-2") && down.reason() == NodeDownReason.LEFT));
        await().atMost(PATIENCE).until(() -> !get(members).contains("\"orders-2\""));
        assertThat(cleanup.cleaned()).hasSize(1);
    }
}
