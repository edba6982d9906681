package io.clusterix;

/**
 * Base of every exception clusterix throws or fails a future with. Unchecked.
 *
 * <p>The message names what went wrong (the option, Redis key, command or node id involved) and what to do about it.
 */
public class ClusterixException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what to do
     */
    public ClusterixException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do
     * @param cause   the underlying failure, typically the Redis client's exception
     */
    public ClusterixException(String message, Throwable cause) {
        super(message, cause);
    }
}
