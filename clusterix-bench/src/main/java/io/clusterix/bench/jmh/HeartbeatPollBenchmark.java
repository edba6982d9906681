package io.clusterix.bench.jmh;

import io.clusterix.NodeDownEvent;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.JoinResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.List;

/**
 * The engine's usual call at the default intervals: a {@code heartbeat} with the poll folded in (reap limit 100, as
 * the engine sends it), in a cluster of {@link #members} live members, so that the poll finds nothing to claim; and,
 * for comparison, a {@code poll} on its own, which the engine sends only when the poll interval is shorter than the
 * heartbeat interval.
 */
public class HeartbeatPollBenchmark extends StoreBenchmark {
    /** Live members besides the benchmark's node. */
    @Param("1000")
    public int members;

    private Heartbeat beatAndPoll;
    private long incarnation;

    @Override
    protected int members() {
        return members;
    }

    @Override
    protected void prepare() {
        JoinResult joined = store.join(keys, "bench-node", TIMEOUT).join();
        incarnation = joined.incarnation();
        beatAndPoll = Heartbeat.of("bench-node", incarnation, joined.epoch(), TIMEOUT).withPoll(100);
    }

    /** @return the reply, so that JMH consumes it */
    @Benchmark
    public HeartbeatResult heartbeatAndPoll() {
        return store.heartbeat(keys, beatAndPoll).join();
    }

    /** @return the reply, so that JMH consumes it */
    @Benchmark
    public List<NodeDownEvent> poll() {
        return store.poll(keys, incarnation, TIMEOUT, 100).join();
    }
}
