package io.clusterix.spring.boot.autoconfigure;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application with a {@code RedissonClient} bean (next to Spring Data Redis' Lettuce factory, which clusterix then
 * leaves alone) on the fixture's standalone Redis: that bean.
 */
@Import(ClusterixAutoConfigurationTest.RedissonConfiguration.class)
class RedissonApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        standalone(registry, fixtureRedis());
    }

    @Override
    String expectedClient() {
        return "org.redisson.api.RedissonClient";
    }

    @Override
    Class<?>[] moreSources() {
        return new Class<?>[] {ClusterixAutoConfigurationTest.RedissonConfiguration.class};
    }
}
