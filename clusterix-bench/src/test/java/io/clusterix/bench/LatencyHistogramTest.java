package io.clusterix.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void quantilesAreWithinTheBucketWidth() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            histogram.record(ms * 1_000_000L);
        }
        assertEquals(1000, histogram.count());
        assertWithin(500e6, histogram.quantileNanos(0.5));
        assertWithin(990e6, histogram.quantileNanos(0.99));
        assertWithin(1000e6, histogram.quantileNanos(1.0));
    }

    @Test
    void aWindowIsTheDifferenceOfTwoCopies() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(5_000_000_000L);
        LatencyHistogram before = histogram.copy();
        histogram.record(2_000_000L);
        LatencyHistogram window = histogram.minus(before);
        assertEquals(1, window.count());
        assertWithin(2e6, window.quantileNanos(0.99));
        assertEquals(0, new LatencyHistogram().quantileNanos(0.5));
    }

    private static void assertWithin(double expected, long actual) {
        assertTrue(actual >= expected && actual <= expected * 1.1,
                "expected " + expected + " within +10%, was " + actual);
    }
}
