package io.clusterix.spring.boot.autoconfigure;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data Redis with Jedis ({@code spring.data.redis.client-type=jedis}, Boot's Jedis) on the fixture's standalone
 * Redis: the factory's own RedisClient (Boot 4.1), or a JedisPool of clusterix's own with its settings (Boot 4.0).
 */
class JedisApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        standalone(registry, fixtureRedis());
        registry.add("spring.data.redis.client-type", () -> "jedis");
    }

    @Override
    String expectedClient() {
        return boot40() ? "redis.clients.jedis.JedisPool" : "redis.clients.jedis.RedisClient";
    }
}
