package io.clusterix.redisson;

import io.clusterix.tck.EvictionContract;
import io.clusterix.tck.TckBackend;

class RedissonEvictionTest extends EvictionContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }
}
