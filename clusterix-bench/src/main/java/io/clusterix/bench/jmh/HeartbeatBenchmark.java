package io.clusterix.bench.jmh;

import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.JoinResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * A plain {@code heartbeat} (no poll folded in) of a member of a cluster of {@link #members} live members: what a
 * node sends when its poll is not due.
 */
public class HeartbeatBenchmark extends StoreBenchmark {
    /** Live members besides the benchmark's node. */
    @Param("1000")
    public int members;

    private Heartbeat beat;

    @Override
    protected int members() {
        return members;
    }

    @Override
    protected void prepare() {
        JoinResult joined = store.join(keys, "bench-node", TIMEOUT).join();
        beat = Heartbeat.of("bench-node", joined.incarnation(), joined.epoch(), TIMEOUT);
    }

    /** @return the reply, so that JMH consumes it */
    @Benchmark
    public HeartbeatResult heartbeat() {
        return store.heartbeat(keys, beat).join();
    }
}
