package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Spring Data Redis with Jedis (Boot's Jedis) on the fixture's local Redis Cluster ({@code
 * spring.data.redis.cluster.nodes}): the factory's own RedisClusterClient (Boot 4.1) or JedisCluster (Boot 4.0).
 */
@Tag("topologies")
class JedisClusterApplicationTest extends AbstractClusterixApplicationTest {
    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        topology(registry, RedisFixture.topology(RedisTopology.Kind.CLUSTER));
        registry.add("spring.data.redis.client-type", () -> "jedis");
    }

    @Override
    String expectedClient() {
        return boot40() ? "redis.clients.jedis.JedisCluster" : "redis.clients.jedis.RedisClusterClient";
    }
}
