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
     * @param cluster the keys of the cluster, named in the message by their hash tag (e.g. {@code {myapp:clusterix}})
     *                as in every other clusterix message
     * @param nodeId  the node id that is already in use
     */
    public DuplicateNodeException(ClusterKeys cluster, String nodeId) {
        super("Node id '" + nodeId + "' is already used by a live process in cluster " + cluster + ": its heartbeats"
                + " kept advancing while this process waited. Give every process a unique nodeId, or stop the other"
                + " process first.");
        this.nodeId = nodeId;
    }

    /**
     * @return the node id that is already in use
     */
    public String nodeId() {
        return nodeId;
    }
}
