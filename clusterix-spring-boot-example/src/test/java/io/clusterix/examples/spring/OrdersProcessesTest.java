package io.clusterix.examples.spring;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example as the README runs it: three instances, each a JVM of its own on the application's class path, against
 * the fixture's real Redis, with clusterix's default timings and node ids ({@code orders:host:port}). GET /members of
 * each lists all three; one killed with SIGKILL is cleaned up after ({@code TIMED_OUT}) by exactly one survivor's
 * {@link SessionCleanup}; one stopped with SIGTERM shuts its web server down gracefully, then leaves, and the last
 * survivor cleans up after it ({@code LEFT}).
 */
class OrdersProcessesTest {
    /** Three Spring Boot JVMs starting at once on a shared 2-core machine. */
    private static final Duration START = Duration.ofSeconds(120);
    /** A death is seen within timeout (1 s by default) plus a poll; a leave at the next poll. */
    private static final Duration REPORT = Duration.ofSeconds(30);

    private final List<OrdersInstance> instances = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (OrdersInstance instance : instances) {
            instance.close();
        }
    }

    @Test
    void threeInstancesListEachOtherAndTheSurvivorsCleanUpAfterAKilledAndAStoppedOne() throws Exception {
        RedisEndpoint redis = RedisFixture.redis();
        List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port(),
                "--clusterix.key-prefix=processes-" + UUID.randomUUID().toString().substring(0, 8)));
        if (redis.password() != null) {
            arguments.add("--spring.data.redis.password=" + redis.password());
        }
        String classpath = classpath();
        Path workDir = Path.of(System.getProperty("example.workDir"));
        for (int i = 0; i < 3; i++) {
            instances.add(OrdersInstance.start(classpath, workDir, arguments));
        }
        OrdersInstance first = instances.get(0);
        OrdersInstance second = instances.get(1);
        OrdersInstance third = instances.get(2);

        for (OrdersInstance instance : instances) {
            await().atMost(START).until(() -> instance.exited() || instance.members().size() == 3);
            assertThat(instance.members()).as(instance::toString).hasSize(3)
                    .allMatch(node -> node.startsWith("orders:")).anyMatch(node -> node.endsWith(":" + first.port()))
                    .anyMatch(node -> node.endsWith(":" + second.port()))
                    .anyMatch(node -> node.endsWith(":" + third.port()));
        }

        assertThat(String.valueOf(first.answer().get("self"))).endsWith(":" + first.port());
        assertThat(first.members()).contains(String.valueOf(first.answer().get("leader")));

        third.kill();

        String thirdDown = ":" + third.port() + " is down (TIMED_OUT): cleaning up its sessions";
        await().atMost(REPORT).until(() -> first.printed(thirdDown) || second.printed(thirdDown));
        await().atMost(REPORT).until(() -> first.members().size() == 2 && second.members().size() == 2);
        assertThat(first.printed(thirdDown) ^ second.printed(thirdDown)).as("exactly one survivor cleans up:\n"
                + first + "\n" + second).isTrue();

        int exit = second.terminate(REPORT);

        assertThat(exit).as(second::toString).isIn(0, 143); // 143: the JVM's code for SIGTERM
        List<String> stopping = second.lines();
        int graceful = indexOf(stopping, "Graceful shutdown complete");
        int left = indexOf(stopping, "' left cluster");
        assertThat(graceful).as("its web server shut down gracefully:\n" + second).isNotNegative();
        assertThat(left).as("then it left:\n" + second).isGreaterThan(graceful);
        String secondDown = ":" + second.port() + " is down (LEFT): cleaning up its sessions";
        await().atMost(REPORT).until(() -> first.printed(secondDown));
        assertThat(first.members()).hasSize(1).allMatch(node -> node.endsWith(":" + first.port()));
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the example's classes and its runtime dependencies, as Maven resolved them */
    private static String classpath() {
        try {
            return System.getProperty("example.classes") + File.pathSeparator
                    + Files.readString(Path.of(System.getProperty("example.runtimeClasspath"))).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("run this test through Maven, which writes the class path file", e);
        }
    }
}
