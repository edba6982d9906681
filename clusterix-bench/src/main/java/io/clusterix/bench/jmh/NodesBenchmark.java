package io.clusterix.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.util.Set;

/**
 * {@code nodes}: the ids of every live member, read-only. Its cost grows with the number of live members (the reply
 * holds every id), hence three sizes.
 */
public class NodesBenchmark extends StoreBenchmark {
    /** Live members. */
    @Param({"100", "1000", "10000"})
    public int members;

    @Override
    protected int members() {
        return members;
    }

    /** @return the reply, so that JMH consumes it */
    @Benchmark
    public Set<String> nodes() {
        return store.nodes(keys, TIMEOUT).join();
    }
}
