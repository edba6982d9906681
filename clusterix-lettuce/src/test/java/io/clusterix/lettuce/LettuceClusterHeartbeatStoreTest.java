package io.clusterix.lettuce;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.HeartbeatStoreContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link HeartbeatStoreContract} on the shared Cluster deployment, with Lettuce's Cluster clients. */
@Tag("topologies")
class LettuceClusterHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected TckBackend backend() {
        return new LettuceTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.CLUSTER;
    }
}
