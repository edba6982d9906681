package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data Redis with Lettuce on the fixture's local Sentinel deployment ({@code spring.data.redis.sentinel.*}):
 * the factory's own RedisClient, with a {@code redis-sentinel://} URI.
 */
@Tag("topologies")
class LettuceSentinelApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        topology(registry, RedisFixture.topology(RedisTopology.Kind.SENTINEL));
    }

    @Override
    String expectedClient() {
        return "io.lettuce.core.RedisClient";
    }
}
