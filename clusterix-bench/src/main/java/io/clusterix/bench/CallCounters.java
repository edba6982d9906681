package io.clusterix.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Store calls of every node of a run, by operation, with failures and a histogram of round-trip times. Thread-safe;
 * cheap enough to be called from Redis clients' I/O threads.
 */
final class CallCounters {
    /** What a store call did. */
    enum Op {
        /** {@code join} */
        JOIN,
        /** {@code heartbeat} without a poll */
        HEARTBEAT,
        /** {@code heartbeat} with a poll folded in: the engine's usual call */
        HEARTBEAT_POLL,
        /** {@code poll} on its own */
        POLL,
        /** {@code nodes} */
        NODES,
        /** {@code leave} */
        LEAVE
    }

    private final Map<Op, LongAdder> calls = new EnumMap<>(Op.class);
    private final LongAdder failures = new LongAdder();
    private final LatencyHistogram roundTrips = new LatencyHistogram();
    private final LatencyHistogram sendGaps = new LatencyHistogram();
    /** System.nanoTime() of the last completed call, and the longest time without any completion since a reset. */
    private final AtomicLong lastCompletion = new AtomicLong();
    private final AtomicLong longestGap = new AtomicLong();
    private final AtomicLong longestGapEnd = new AtomicLong();

    CallCounters() {
        for (Op op : Op.values()) {
            calls.put(op, new LongAdder());
        }
    }

    void call(Op op) {
        calls.get(op).increment();
    }

    void completed(Throwable error, long nanos) {
        if (error != null) {
            failures.increment();
        }
        roundTrips.record(nanos);
        long now = System.nanoTime();
        long previous = lastCompletion.getAndSet(now);
        long gap = now - previous;
        if (previous != 0 && gap > longestGap.get()) {
            // Racy by a few microseconds at worst: this only reports the longest stall of the whole run.
            longestGap.set(gap);
            longestGapEnd.set(now);
        }
    }

    /** @param nanos time between two heartbeat calls of one node, as the engine made them */
    void sendGap(long nanos) {
        sendGaps.record(nanos);
    }

    /** Starts looking for the longest time without any completed call afresh. */
    void resetGap() {
        longestGap.set(0);
        longestGapEnd.set(0);
    }

    /** @return the longest time without any completed store call since {@link #resetGap()}, ns */
    long longestGapNanos() {
        return longestGap.get();
    }

    /** @return System.nanoTime() at the end of that gap */
    long longestGapEnd() {
        return longestGapEnd.get();
    }

    /** @return the counts so far; subtract two snapshots for a window */
    Snapshot snapshot() {
        Map<Op, Long> counts = new EnumMap<>(Op.class);
        calls.forEach((op, adder) -> counts.put(op, adder.sum()));
        return new Snapshot(counts, failures.sum(), roundTrips.copy(), sendGaps.copy());
    }

    /**
     * Counts at one instant.
     *
     * @param calls      calls started, by operation
     * @param failures   calls that failed (an error reply, a broken connection; the engine's own timeout is not seen
     *                   here)
     * @param roundTrips round-trip times of completed calls
     * @param sendGaps   times between two successive heartbeat calls of one node
     */
    record Snapshot(Map<Op, Long> calls, long failures, LatencyHistogram roundTrips, LatencyHistogram sendGaps) {
        long total() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }

        long of(Op op) {
            return calls.get(op);
        }

        /**
         * @param earlier a snapshot taken before this one
         * @return what happened between the two
         */
        Snapshot minus(Snapshot earlier) {
            Map<Op, Long> delta = new EnumMap<>(Op.class);
            calls.forEach((op, count) -> delta.put(op, count - earlier.calls.get(op)));
            return new Snapshot(delta, failures - earlier.failures, roundTrips.minus(earlier.roundTrips),
                    sendGaps.minus(earlier.sendGaps));
        }
    }
}
