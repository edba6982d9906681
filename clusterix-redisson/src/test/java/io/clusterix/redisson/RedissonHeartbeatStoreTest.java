package io.clusterix.redisson;

import io.clusterix.tck.HeartbeatStoreContract;
import io.clusterix.tck.TckBackend;

class RedissonHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }
}
