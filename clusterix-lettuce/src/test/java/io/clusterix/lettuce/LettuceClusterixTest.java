package io.clusterix.lettuce;

import io.clusterix.tck.ClusterixContract;
import io.clusterix.tck.TckBackend;

class LettuceClusterixTest extends ClusterixContract {
    @Override
    protected TckBackend backend() {
        return new LettuceTckBackend();
    }
}
