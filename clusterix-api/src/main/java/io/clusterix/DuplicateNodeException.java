package io.clusterix;

/**
 * {@link Clusterix#initializeNode()} found another live process heartbeating under the same node id.
 *
 * <p>Nothing was written to Redis: the live node's entry is untouched. Give each process a unique
 * {@code nodeId}, or stop the other process first.
 */
public class DuplicateNodeException extends ClusterixException {
    private static final long serialVersionUID = 1L;

    private final String nodeId;

    /**
     * @param clusterId the cluster id ({@code ""} for the default cluster)
     * @param nodeId    the node id that is already in use
     */
    public DuplicateNodeException(String clusterId, String nodeId) {
        super("Node id '" + nodeId + "' is already used by a live process in cluster '" + clusterId
                + "': its heartbeats kept advancing while this process waited. Give every process a unique nodeId,"
                + " or stop the other process first.");
        this.nodeId = nodeId;
    }

    /**
     * @return the node id that is already in use
     */
    public String nodeId() {
        return nodeId;
    }
}
