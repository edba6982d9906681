package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.ClusterixException;

/**
 * The node could not join when the application context started, so the start fails (unless
 * {@code clusterix.fail-on-join-error=false}). The message is clusterix's reason followed by what to do;
 * {@link #action()} is the what-to-do part alone, for {@link ClusterixJoinFailureAnalyzer}. The cause is clusterix's
 * exception.
 */
public final class ClusterixJoinException extends ClusterixException {
    private static final long serialVersionUID = 1L;

    private final String description;
    private final String action;

    /**
     * @param description what failed: the cluster, the node and clusterix's reason
     * @param action      what to do: the settings to check, and the opt-out
     * @param cause       clusterix's exception
     */
    public ClusterixJoinException(String description, String action, Throwable cause) {
        super(description + " " + action, cause);
        this.description = description;
        this.action = action;
    }

    /** @return what failed */
    public String description() {
        return description;
    }

    /** @return what to do */
    public String action() {
        return action;
    }
}
