package io.clusterix.jedis;

import io.clusterix.tck.TckBackend;
import io.clusterix.tck.TopologyContract;
import org.junit.jupiter.api.Tag;

/** Slot placement and failover ({@link TopologyContract}) with Jedis' Cluster and Sentinel clients. */
@Tag("topologies")
class JedisTopologyTest extends TopologyContract {
    @Override
    protected TckBackend backend() {
        return new JedisTckBackend();
    }
}
