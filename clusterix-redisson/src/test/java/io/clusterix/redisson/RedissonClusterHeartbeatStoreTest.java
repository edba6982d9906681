package io.clusterix.redisson;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.HeartbeatStoreContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link HeartbeatStoreContract} on the shared Cluster deployment, with a RedissonClient in Cluster mode. */
@Tag("topologies")
class RedissonClusterHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.CLUSTER;
    }
}
