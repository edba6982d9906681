package io.clusterix.jedis;

import io.clusterix.tck.EvictionContract;
import io.clusterix.tck.TckBackend;

class JedisEvictionTest extends EvictionContract {
    @Override
    protected TckBackend backend() {
        return new JedisTckBackend();
    }
}
