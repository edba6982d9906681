package io.clusterix.jedis;

import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.HeartbeatStoreContract;
import io.clusterix.tck.TckBackend;
import org.junit.jupiter.api.Tag;

/** The {@link HeartbeatStoreContract} on the shared Cluster deployment, with Jedis' Cluster clients. */
@Tag("topologies")
class JedisClusterHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected TckBackend backend() {
        return new JedisTckBackend();
    }

    @Override
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.CLUSTER;
    }
}
