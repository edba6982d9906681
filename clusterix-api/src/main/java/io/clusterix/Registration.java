package io.clusterix;

/**
 * A listener registration; {@link #close()} removes the listener. Idempotent.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    /**
     * Removes the listener. Events already handed to it may still be delivered.
     */
    @Override
    void close();
}
