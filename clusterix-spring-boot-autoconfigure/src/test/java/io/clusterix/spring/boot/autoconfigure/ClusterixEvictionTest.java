package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.EvictionEvent;
import io.clusterix.EvictionReason;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RespConnection;
import io.clusterix.spring.boot.actuate.ClusterixHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An eviction reaches a plain {@code @EventListener} and the health: node a's Redis user is switched off (its
 * connections killed, every new one refused) while node b keeps running, so b declares a dead; when the user is on
 * again, a learns that it lost its entry, publishes the {@link EvictionEvent} and rejoins as a new incarnation.
 */
class ClusterixEvictionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** What node a's application hears. */
    static class Evictions {
        final List<EvictionEvent> heard = new CopyOnWriteArrayList<>();

        @EventListener
        void on(EvictionEvent eviction) {
            heard.add(eviction);
        }
    }

    /** What node b's application hears. */
    static class Downs {
        final List<NodeDownEvent> heard = new CopyOnWriteArrayList<>();

        @EventListener
        void on(NodeDownEvent down) {
            heard.add(down);
        }
    }

    private static ApplicationContextRunner node(RedisServerProcess redis, String nodeId, String... more) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        ClusterixAutoConfiguration.class, ClusterixHealthAutoConfiguration.class))
                .withPropertyValues("spring.data.redis.host=" + redis.endpoint().host(),
                        "spring.data.redis.port=" + redis.port(), "spring.application.name=orders",
                        "clusterix.node-id=" + nodeId, "clusterix.heartbeat-interval=100ms",
                        "clusterix.poll-interval=100ms", "clusterix.timeout=600ms")
                .withPropertyValues(more);
    }

    @Test
    void aNodeDeclaredDeadWhileItsRedisUserWasOffHearsItsEvictionAndRejoins() {
        try (RedisServerProcess redis = RedisServerProcess.start();
             RespConnection admin = new RespConnection(redis.endpoint())) {
            admin.string("ACL", "SETUSER", "node-a", "on", ">a-secret", "~*", "&*", "+@all");
            String prefix = "clusterix.key-prefix=evict-" + UUID.randomUUID().toString().substring(0, 8);
            node(redis, "a", "spring.data.redis.username=node-a", "spring.data.redis.password=a-secret", prefix)
                    .withBean(Evictions.class).run(a -> node(redis, "b", prefix).withBean(Downs.class).run(b -> {
                        Clusterix nodeA = a.getBean(Clusterix.class);
                        long first = nodeA.incarnation();
                        await().atMost(PATIENCE).until(() -> b.getBean(Clusterix.class).view().members().size() == 2);

                        admin.string("ACL", "SETUSER", "node-a", "off");
                        admin.call("CLIENT", "KILL", "USER", "node-a");
                        await().atMost(PATIENCE).until(() -> b.getBean(Downs.class).heard.stream().anyMatch(down ->
                                down.nodeId().equals("a") && down.reason() == NodeDownReason.TIMED_OUT));
                        admin.string("ACL", "SETUSER", "node-a", "on");

                        List<EvictionEvent> evictions = a.getBean(Evictions.class).heard;
                        await().atMost(PATIENCE).until(() -> !evictions.isEmpty());
                        assertThat(evictions.get(0)).isEqualTo(new EvictionEvent("orders", "a", first,
                                EvictionReason.DECLARED_DEAD));
                        await().atMost(PATIENCE).until(() -> nodeA.incarnation() != 0 && nodeA.incarnation() != first);
                        await().atMost(PATIENCE).until(() -> a.getBean(ClusterixHealthIndicator.class).health()
                                .getStatus().equals(Status.UP));
                    }));
        }
    }
}
