package io.clusterix.jedis;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link ClusterixContract} on the shared Cluster deployment, with Jedis' Cluster clients. */
@Tag("topologies")
class JedisClusterClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new JedisTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.CLUSTER;
    }
}
