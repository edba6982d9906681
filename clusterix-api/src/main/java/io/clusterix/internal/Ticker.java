package io.clusterix.internal;

/**
 * The engine's stopwatch: monotonic nanoseconds, as {@link System#nanoTime()}. It only spaces out timers (when to
 * heartbeat, when this node's own heartbeats have gone unanswered for {@code timeout}); membership is decided by the
 * Redis server's clock alone. Injected, so that engine tests move time themselves.
 */
@FunctionalInterface
public interface Ticker {
    /** The JVM's monotonic clock. */
    Ticker SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds, from an arbitrary origin */
    long nanoTime();
}
