package io.clusterix.redisson;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.HeartbeatStoreContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link HeartbeatStoreContract} on the shared Sentinel deployment, with a RedissonClient in Sentinel mode. */
@Tag("topologies")
class RedissonSentinelHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.SENTINEL;
    }
}
