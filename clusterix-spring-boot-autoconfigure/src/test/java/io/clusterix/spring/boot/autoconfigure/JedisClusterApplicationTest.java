package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data Redis with Jedis (Boot's Jedis 7.0.0) on the fixture's local Redis Cluster ({@code
 * spring.data.redis.cluster.nodes}): the factory's own JedisCluster.
 */
@Tag("topologies")
class JedisClusterApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        topology(registry, RedisFixture.topology(RedisTopology.Kind.CLUSTER));
        registry.add("spring.data.redis.client-type", () -> "jedis");
    }

    @Override
    Class<?> expectedClient() {
        return redis.clients.jedis.JedisCluster.class;
    }
}
