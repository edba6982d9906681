package io.clusterix.bench.jmh;

import io.clusterix.spi.JoinResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code join} of a new node id: the script reads the id's entry, takes the next incarnation and writes the
 * heartbeat and the owner. Every call adds a member, so each iteration starts from a fresh cluster of
 * {@link #members} members.
 */
public class JoinBenchmark extends StoreBenchmark {
    /** Live members already in the cluster. */
    @Param("1000")
    public int members;

    private final AtomicLong next = new AtomicLong();

    @Override
    protected int members() {
        return members;
    }

    /** A fresh cluster per iteration, so that the cluster does not grow without bound. */
    @Setup(Level.Iteration)
    public void freshCluster() {
        newCluster();
    }

    /** @return the reply, so that JMH consumes it */
    @Benchmark
    public JoinResult join() {
        return store.join(keys, "joiner-" + next.incrementAndGet(), TIMEOUT).join();
    }
}
