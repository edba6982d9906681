package io.clusterix.redisson;

import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;

class RedissonClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new RedissonTckBackend();
    }
}
