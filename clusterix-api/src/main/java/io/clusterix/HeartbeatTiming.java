package io.clusterix;

import java.time.Duration;

/**
 * One heartbeat of this node got its reply from Redis (see {@link Clusterix#onHeartbeat}): how long the call took,
 * from the moment it was handed to the store to the moment its reply was handled, by the JVM's monotonic clock
 * ({@link System#nanoTime()}), never the wall clock. A heartbeat that failed or got no reply within {@code timeout}
 * has no timing: it is reported to {@link Clusterix#onError} listeners instead.
 *
 * <p>Meant for metrics (a timer of the heartbeat round trip) and diagnostics; membership never depends on it.
 *
 * @param roundTripNanos the round trip in nanoseconds, never negative
 */
public record HeartbeatTiming(long roundTripNanos) {

    /** @throws IllegalArgumentException if the round trip is negative */
    public HeartbeatTiming {
        if (roundTripNanos < 0) {
            throw new IllegalArgumentException("roundTripNanos must not be negative, was " + roundTripNanos);
        }
    }

    /** @return {@link #roundTripNanos()} as a duration */
    public Duration roundTrip() {
        return Duration.ofNanos(roundTripNanos);
    }
}
