package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data Redis with Lettuce on the fixture's local Redis Cluster ({@code spring.data.redis.cluster.nodes}): the
 * factory's own RedisClusterClient.
 */
@Tag("topologies")
class LettuceClusterApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        topology(registry, RedisFixture.topology(RedisTopology.Kind.CLUSTER));
    }

    @Override
    String expectedClient() {
        return "io.lettuce.core.cluster.RedisClusterClient";
    }
}
