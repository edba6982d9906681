package io.clusterix.lettuce;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link ClusterixContract} on the shared Sentinel deployment, with Lettuce's Sentinel clients. */
@Tag("topologies")
class LettuceSentinelClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new LettuceTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.SENTINEL;
    }
}
