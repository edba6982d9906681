package io.clusterix.spring.boot.autoconfigure;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Spring Data Redis with Lettuce, Boot's default, on the fixture's standalone Redis: the factory's RedisClient. */
class LettuceApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        standalone(registry, fixtureRedis());
    }

    @Override
    String expectedClient() {
        return "io.lettuce.core.RedisClient";
    }
}
