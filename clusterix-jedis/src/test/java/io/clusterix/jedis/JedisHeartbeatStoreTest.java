package io.clusterix.jedis;

import io.clusterix.tck.HeartbeatStoreContract;
import io.clusterix.tck.TckBackend;

class JedisHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected TckBackend backend() {
        return new JedisTckBackend();
    }
}
