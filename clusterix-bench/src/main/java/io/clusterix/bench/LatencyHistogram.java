package io.clusterix.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of durations with logarithmic buckets (8 per power of two, so a percentile is within about
 * 9% of the true value), from 1 µs to about 4.5 hours. Tens of thousands of records per second from any thread.
 */
final class LatencyHistogram {
    private static final int PER_OCTAVE = 8;
    private static final int BUCKETS = 34 * PER_OCTAVE;

    private final AtomicLongArray counts;

    LatencyHistogram() {
        this(new AtomicLongArray(BUCKETS));
    }

    private LatencyHistogram(AtomicLongArray counts) {
        this.counts = counts;
    }

    /** @param nanos a duration; values below 1 µs count as 1 µs */
    void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    static int bucket(long nanos) {
        double micros = Math.max(1.0, nanos / 1000.0);
        int bucket = (int) Math.floor(Math.log(micros) / Math.log(2) * PER_OCTAVE);
        return Math.min(BUCKETS - 1, Math.max(0, bucket));
    }

    /** @return the upper bound of a bucket, in nanoseconds */
    static long upperBoundNanos(int bucket) {
        return Math.round(Math.pow(2, (bucket + 1) / (double) PER_OCTAVE) * 1000.0);
    }

    /** @return the number of values recorded */
    long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * @param quantile 0..1, e.g. 0.99
     * @return the upper bound (ns) of the bucket holding that quantile (nearest rank), or 0 if empty
     */
    long quantileNanos(double quantile) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperBoundNanos(i);
            }
        }
        return upperBoundNanos(BUCKETS - 1);
    }

    /** @return a copy of the current counts */
    LatencyHistogram copy() {
        AtomicLongArray copy = new AtomicLongArray(BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            copy.set(i, counts.get(i));
        }
        return new LatencyHistogram(copy);
    }

    /**
     * @param earlier a copy taken earlier from the same histogram
     * @return the values recorded between the two
     */
    LatencyHistogram minus(LatencyHistogram earlier) {
        AtomicLongArray delta = new AtomicLongArray(BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            delta.set(i, counts.get(i) - earlier.counts.get(i));
        }
        return new LatencyHistogram(delta);
    }
}
