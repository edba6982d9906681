package io.clusterix.lettuce;

import io.clusterix.tck.HeartbeatStoreContract;
import io.clusterix.tck.TckBackend;

class LettuceHeartbeatStoreTest extends HeartbeatStoreContract {
    @Override
    protected TckBackend backend() {
        return new LettuceTckBackend();
    }
}
