package io.clusterix.lettuce;

import io.clusterix.tck.EvictionContract;
import io.clusterix.tck.TckBackend;

class LettuceEvictionTest extends EvictionContract {
    @Override
    protected TckBackend backend() {
        return new LettuceTckBackend();
    }
}
