package io.clusterix;

/**
 * What clusterix throws, or fails a future with, when Redis or the cluster fails: Redis unreachable, credentials or
 * ACL rights refused, a key of the wrong type, no reply within the timeout, a duplicate node id
 * ({@link DuplicateNodeException}), an instance disposed while it joined. Unchecked.
 *
 * <p>Mistakes in the calling code are reported the way the JDK reports them, not with this type: an invalid option
 * or a client no backend supports makes {@link Clusterix.Builder#build()} throw {@link IllegalArgumentException}; a
 * call in the wrong state (a second {@link Clusterix#initializeNode()}, one after {@link Clusterix#dispose()}) fails
 * with {@link IllegalStateException}; a null listener throws {@link NullPointerException}.
 *
 * <p>The message names what went wrong (the call, node id, cluster, Redis key or command involved) and what to do
 * about it, once: the Redis client's exception is the cause, and clusterix does not wrap its own exceptions again.
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
