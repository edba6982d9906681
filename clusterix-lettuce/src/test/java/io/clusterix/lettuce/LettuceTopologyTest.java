package io.clusterix.lettuce;

import io.clusterix.tck.TckBackend;
import io.clusterix.tck.TopologyContract;
import org.junit.jupiter.api.Tag;

/** Slot placement and failover ({@link TopologyContract}) with Lettuce's Cluster and Sentinel clients. */
@Tag("topologies")
class LettuceTopologyTest extends TopologyContract {
    @Override
    protected TckBackend backend() {
        return new LettuceTckBackend();
    }
}
