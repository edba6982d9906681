package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data Redis with Jedis (Boot's Jedis) on the fixture's local Sentinel deployment ({@code
 * spring.data.redis.sentinel.*}): the factory's own RedisSentinelClient (Boot 4.1), or a JedisSentinelPool of
 * clusterix's own with the factory's settings (Boot 4.0).
 */
@Tag("topologies")
class JedisSentinelApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        topology(registry, RedisFixture.topology(RedisTopology.Kind.SENTINEL));
        registry.add("spring.data.redis.client-type", () -> "jedis");
    }

    @Override
    String expectedClient() {
        return boot40() ? "redis.clients.jedis.JedisSentinelPool" : "redis.clients.jedis.RedisSentinelClient";
    }
}
