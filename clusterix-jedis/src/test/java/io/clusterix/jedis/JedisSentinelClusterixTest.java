package io.clusterix.jedis;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link ClusterixContract} on the shared Sentinel deployment, with Jedis' Sentinel clients. */
@Tag("topologies")
class JedisSentinelClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new JedisTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.SENTINEL;
    }
}
