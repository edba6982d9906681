package io.clusterix.jedis;

import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;

class JedisClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new JedisTckBackend();
    }
}
