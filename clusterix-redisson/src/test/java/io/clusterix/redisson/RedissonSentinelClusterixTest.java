package io.clusterix.redisson;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link ClusterixContract} on the shared Sentinel deployment, with a RedissonClient in Sentinel mode. */
@Tag("topologies")
class RedissonSentinelClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.SENTINEL;
    }
}
