package io.clusterix.redisson;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link ClusterixContract} on the shared Cluster deployment, with a RedissonClient in Cluster mode. */
@Tag("topologies")
class RedissonClusterClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.CLUSTER;
    }
}
