package io.clusterix.spring.boot.autoconfigure;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.clients.jedis.JedisPool;

/**
 * Spring Data Redis with Jedis ({@code spring.data.redis.client-type=jedis}, Boot's Jedis 7.0.0) on the fixture's
 * standalone Redis: a JedisPool of clusterix's own with the factory's settings.
 */
class JedisApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        standalone(registry, fixtureRedis());
        registry.add("spring.data.redis.client-type", () -> "jedis");
    }

    @Override
    Class<?> expectedClient() {
        return JedisPool.class;
    }
}
