package io.clusterix.spring.boot.actuate;

import io.clusterix.Clusterix;
import io.clusterix.Member;
import io.clusterix.MembershipView;
import io.clusterix.spring.boot.autoconfigure.ClusterixState;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/clusterix}: this node (id, cluster, incarnation, connection state, whether it leads) and its
 * current membership view (version, leader, members with their incarnations and metadata). Local: no Redis call.
 * Exposed like any endpoint, e.g. {@code management.endpoints.web.exposure.include=health,clusterix}.
 */
@Endpoint(id = "clusterix")
public class ClusterixEndpoint {
    private final ClusterixState state;

    /** @param state the node's state */
    public ClusterixEndpoint(ClusterixState state) {
        this.state = state;
    }

    /** @return the node and its view */
    @ReadOperation
    public NodeDescriptor clusterix() {
        Clusterix cluster = state.cluster();
        MembershipView view = cluster.view();
        return new NodeDescriptor(cluster.id(), cluster.keys().keyPrefix(), cluster.nodeId(), cluster.incarnation(),
                state.link().name(), state.reason(), cluster.isLeader(),
                new ViewDescriptor(view.version(), view.leader().map(Member::nodeId).orElse(null),
                        view.members().stream().map(m -> new MemberDescriptor(m.nodeId(), m.incarnation(),
                                m.metadata())).toList()));
    }

    /**
     * This node.
     *
     * @param cluster         the cluster id ({@code ""} for the default cluster)
     * @param keyPrefix       the key prefix
     * @param node            this node's id
     * @param incarnation     its incarnation, 0 while it is not a member
     * @param connectionState {@code CONNECTED}, {@code SUSPENDED} or {@code NOT_MEMBER}
     * @param reason          why it is not a member, or null
     * @param leader          whether it leads now
     * @param view            its current view
     */
    public record NodeDescriptor(String cluster, String keyPrefix, String node, long incarnation,
                                 String connectionState, String reason, boolean leader, ViewDescriptor view) {
    }

    /**
     * A membership view.
     *
     * @param version the number of the last change applied
     * @param leader  the leader's node id, or null for an empty view
     * @param members the members, oldest first
     */
    public record ViewDescriptor(long version, String leader, List<MemberDescriptor> members) {
    }

    /**
     * A member.
     *
     * @param node        its node id
     * @param incarnation its incarnation
     * @param metadata    what it published
     */
    public record MemberDescriptor(String node, long incarnation, Map<String, String> metadata) {
    }
}
