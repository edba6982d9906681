package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.DuplicateNodeException;
import io.clusterix.Member;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.micrometer.ClusterixMetrics;
import io.clusterix.spring.boot.actuate.ClusterixEndpoint;
import io.clusterix.spring.boot.actuate.ClusterixHealthIndicator;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configuration in real application contexts against the fixture's real Redis: which client it takes, how
 * it backs off, what happens without Actuator, Micrometer or a Redis client, and how a bad setting fails the start.
 */
class ClusterixAutoConfigurationTest {
    private static final RedisEndpoint REDIS = RedisFixture.redis();

    /** Without a node id. */
    private final ApplicationContextRunner base = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                    ClusterixAutoConfiguration.class, ClusterixHealthAutoConfiguration.class,
                    ClusterixEndpointAutoConfiguration.class, ClusterixMetricsAutoConfiguration.class))
            .withPropertyValues(redisAt(REDIS))
            .withPropertyValues("clusterix.key-prefix=boot-" + UUID.randomUUID().toString().substring(0, 8),
                    "clusterix.heartbeat-interval=100ms", "clusterix.poll-interval=100ms", "clusterix.timeout=600ms",
                    "management.endpoints.web.exposure.include=clusterix");
    private final ApplicationContextRunner runner = base.withPropertyValues("clusterix.node-id=n1");

    /**
     * @param redis a server
     * @return the spring.data.redis.* properties that point at it
     */
    static String[] redisAt(RedisEndpoint redis) {
        List<String> properties = new ArrayList<>(List.of("spring.data.redis.host=" + redis.host(),
                "spring.data.redis.port=" + redis.port()));
        if (redis.username() != null) {
            properties.add("spring.data.redis.username=" + redis.username());
        }
        if (redis.password() != null) {
            properties.add("spring.data.redis.password=" + redis.password());
        }
        return properties.toArray(String[]::new);
    }

    @Test
    void fromSpringDataRedisLettuceTheNodeIsBuiltOnTheFactorysNativeClientAndJoinsWhenTheContextStarts() {
        runner.withPropertyValues("spring.application.name=orders").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Clusterix.class);
            ClusterixRedis redis = context.getBean(ClusterixRedis.class);
            LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
            assertThat(redis.client()).isInstanceOf(RedisClient.class).isSameAs(factory.getNativeClient());
            assertThat(redis.settings()).isEqualTo("spring.data.redis.*");
            Clusterix cluster = context.getBean(Clusterix.class);
            assertThat(cluster.incarnation()).as("joined by the lifecycle").isPositive();
            assertThat(cluster.id()).as("cluster id from spring.application.name").isEqualTo("orders");
            assertThat(cluster.nodeId()).isEqualTo("n1");
            assertThat(cluster.view().member("n1")).isPresent();
            assertThat(context.getBean(ClusterixHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            assertThat(context.getBean(ClusterixEndpoint.class).clusterix().view().members()).hasSize(1);
            assertThat(context).doesNotHaveBean(ClusterixMetrics.class); // no MeterRegistry here
            assertThat(context.getBean(ClusterixLifecycle.class).getPhase())
                    .as("starts before and stops after the web server and its graceful shutdown")
                    .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
                    .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
                    .as("stops before the connection factory whose client it uses")
                    .isGreaterThan(factory.getPhase());
        });
    }

    @Test
    void fromSpringDataRedisJedisTheNodeGetsTheFactorysOwnClientOrOnBoot40APoolWithItsSettings() {
        runner.withPropertyValues("spring.data.redis.client-type=jedis").run(context -> {
            assertThat(context).hasNotFailed();
            Object client = context.getBean(ClusterixRedis.class).client();
            if (AbstractClusterixApplicationTest.boot40()) {
                assertThat(client).isInstanceOf(redis.clients.jedis.JedisPool.class);
            } else {
                RedisConnection connection = context.getBean(JedisConnectionFactory.class).getConnection();
                try {
                    assertThat(client).as("the factory's own RedisClient").isSameAs(connection.getNativeConnection());
                } finally {
                    connection.close();
                }
            }
            assertThat(context.getBean(Clusterix.class).incarnation()).isPositive();
        });
    }

    @Test
    void theDefaultNodeIdIsTheApplicationNameTheHostAndThePort() {
        base.withPropertyValues("spring.application.name=orders", "server.port=8123")
                .run(context -> assertThat(context.getBean(Clusterix.class).nodeId()).startsWith("orders:")
                        .endsWith(":8123"));
    }

    @Test
    void aRedissonClientBeanIsPreferredToSpringDataRedis() {
        runner.withUserConfiguration(RedissonConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ClusterixRedis.class).client()).isSameAs(context.getBean(RedissonClient.class));
            assertThat(context.getBean(Clusterix.class).incarnation()).isPositive();
        });
    }

    @Test
    void everyBeanBacksOffWhenTheApplicationDefinesItsOwn() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ClusterixRedis.class).source()).isEqualTo("mine");
            assertThat(context.getBean(ClusterixRedis.class).client()).isSameAs(context.getBean(RedisClient.class));
            assertThat(context.getBean(Clusterix.class).incarnation()).isPositive();
            assertThat(context).doesNotHaveBean(ClusterixHealthIndicator.class);
            assertThat(context.getBean("clusterixHealthIndicator", HealthIndicator.class).health().getDetails())
                    .containsEntry("mine", true);
        });
    }

    @Test
    void clusterixEnabledFalseConfiguresNothing() {
        runner.withPropertyValues("clusterix.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(Clusterix.class).doesNotHaveBean(ClusterixLifecycle.class)
                .doesNotHaveBean(ClusterixHealthIndicator.class));
    }

    @Test
    void withAMeterRegistryTheMetersAreBound() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ClusterixMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("clusterix.members").tag("node", "n1").gauge().value()).isEqualTo(1);
                });
    }

    @Test
    void withoutActuatorMicrometerOrTheHealthModuleTheNodeStillWorks() {
        runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class, MeterRegistry.class,
                ClusterixMetrics.class)).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Clusterix.class)
                            .doesNotHaveBean(ClusterixHealthIndicator.class).doesNotHaveBean(ClusterixEndpoint.class)
                            .doesNotHaveBean(ClusterixMetrics.class);
                    assertThat(context.getBean(Clusterix.class).incarnation()).isPositive();
                });
    }

    @Test
    void withoutAnyRedisClientTheStartFailsAndSaysWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader("io.lettuce.", "redis.clients.", "org.redisson."))
                .run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("clusterix found no Redis client")
                    .hasMessageContaining("spring-boot-starter-data-redis")
                    .hasMessageContaining("clusterix.enabled=false");
        });
    }

    @Test
    void anOptionClusterixRejectsFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("clusterix.handler-timeout=300ms").run(context -> {
            assertThat(context).hasFailed();
            InvalidConfigurationPropertyValueException invalid = findCause(context.getStartupFailure(),
                    InvalidConfigurationPropertyValueException.class);
            assertThat(invalid.getName()).isEqualTo("clusterix.handler-timeout");
            assertThat(invalid.getValue()).isEqualTo(Duration.ofMillis(300));
            assertThat(invalid.getReason()).contains("Option 'handlerTimeout' = 300 ms must be longer than 'timeout'"
                    + " = 600 ms")
                    .contains("Fix the property clusterix.handler-timeout");
        });
    }

    @Test
    void anUnreachableRedisFailsTheStartWithClusterixsMessageAndTheSettingsToFix() {
        int nobody = RedisServerProcess.freePort();
        runner.withPropertyValues("spring.data.redis.port=" + nobody).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("clusterix could not join cluster")
                    .hasStackTraceContaining("reachable").hasStackTraceContaining("spring.data.redis.*")
                    .hasStackTraceContaining("clusterix.fail-on-join-error=false");
            // What Spring Boot prints as APPLICATION FAILED TO START.
            FailureAnalysis analysis = new ClusterixJoinFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).startsWith("clusterix could not join cluster {")
                    .contains("as node 'n1'").contains("reachable");
            assertThat(analysis.getAction()).contains("check spring.data.redis.*")
                    .contains("clusterix.fail-on-join-error=false");
        });
    }

    @Test
    void aSecondApplicationUnderALiveNodeIdFailsToStartAndNamesThePropertyToChange() {
        runner.run(first -> runner.run(second -> {
            assertThat(second).hasFailed();
            assertThat(second.getStartupFailure()).hasStackTraceContaining("clusterix could not join cluster")
                    .hasStackTraceContaining("Give every running instance its own clusterix.node-id");
            findCause(second.getStartupFailure(), DuplicateNodeException.class);
            Clusterix live = first.getBean(Clusterix.class);
            assertThat(live.view().members()).as("the live node is undisturbed").extracting(Member::nodeId)
                    .containsExactly("n1");
            assertThat(live.incarnation()).isPositive();
        }));
    }

    @Test
    void aWrongPasswordFailsTheStartWithClusterixsMessage() {
        try (RedisServerProcess secured = RedisServerProcess.start("--requirepass", "s3cret")) {
            runner.withPropertyValues(redisAt(secured.endpoint().withCredentials(null, "not-the-password")))
                    .run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(context.getStartupFailure()).hasStackTraceContaining("credentials")
                                .hasStackTraceContaining("spring.data.redis.*");
                    });
        }
    }

    @Test
    void withFailOnJoinErrorFalseTheApplicationStartsAndItsHealthIsDownWithTheReason() {
        int nobody = RedisServerProcess.freePort();
        runner.withPropertyValues("spring.data.redis.port=" + nobody, "clusterix.fail-on-join-error=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Clusterix.class).incarnation()).isZero();
                    var health = context.getBean(ClusterixHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(String.valueOf(health.getDetails().get("reason"))).startsWith("the join failed: ");
                });
    }

    @Test
    void whileRedisStopsAnsweringTheHealthIsOutOfServiceAndUpAgainWhenItAnswers() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            runner.withPropertyValues(redisAt(redis.endpoint())).run(context -> {
                ClusterixHealthIndicator health = context.getBean(ClusterixHealthIndicator.class);
                ClusterixEndpoint endpoint = context.getBean(ClusterixEndpoint.class);
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);

                signal("STOP", redis.process().pid()); // Redis is there but answers nothing
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> health.health().getStatus()
                            .equals(Status.OUT_OF_SERVICE));
                    assertThat(String.valueOf(health.health().getDetails().get("reason")))
                            .startsWith("no heartbeat got through for timeout");
                    assertThat(health.health().getDetails()).containsEntry("connectionState", "SUSPENDED");
                    assertThat(endpoint.clusterix().connectionState()).isEqualTo("SUSPENDED");
                } finally {
                    signal("CONT", redis.process().pid());
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> health.health().getStatus().equals(Status.UP));
                assertThat(context.getBean(Clusterix.class).view().member("n1")).as("still a member").isPresent();
            });
        }
    }

    /** Java sends SIGKILL and SIGTERM, not SIGSTOP or SIGCONT: kill(1) does. */
    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("kill -" + signal).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal + " " + pid + ": "
                + new String(kill.getInputStream().readAllBytes())).isZero();
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class RedissonConfiguration {
        @Bean(destroyMethod = "shutdown")
        RedissonClient redisson() {
            Config config = new Config();
            config.useSingleServer().setAddress("redis://" + REDIS.host() + ":" + REDIS.port())
                    .setUsername(REDIS.username()).setPassword(REDIS.password());
            return Redisson.create(config);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean(destroyMethod = "shutdown")
        RedisClient myLettuce() {
            return RedisClient.create(REDIS.uri());
        }

        @Bean
        ClusterixRedis clusterixRedis(RedisClient myLettuce) {
            return new ClusterixRedis(myLettuce, "mine", "my settings");
        }

        @Bean
        HealthIndicator clusterixHealthIndicator() {
            return () -> Health.up().withDetail("mine", true).build();
        }
    }
}
