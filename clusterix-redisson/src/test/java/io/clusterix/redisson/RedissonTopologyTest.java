package io.clusterix.redisson;

import io.clusterix.tck.TckBackend;
import io.clusterix.tck.TopologyContract;
import org.junit.jupiter.api.Tag;

/** Slot placement and failover ({@link TopologyContract}) with RedissonClients in Cluster and Sentinel mode. */
@Tag("topologies")
class RedissonTopologyTest extends TopologyContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }
}
