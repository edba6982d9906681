package io.clusterix.spring.boot.actuate;

import io.clusterix.Clusterix;
import io.clusterix.spring.boot.autoconfigure.ClusterixState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code clusterix} health: {@code UP} while this node is a member whose heartbeats get through,
 * {@code OUT_OF_SERVICE} while it is {@code SUSPENDED} (other nodes may be declaring it dead: a load balancer should
 * stop sending it work), {@code DOWN} while it is not a member, with the reason (the join failed, it was evicted and
 * rejoins, it stopped). Local: no Redis call.
 */
public final class ClusterixHealthIndicator implements HealthIndicator {
    private final ClusterixState state;

    /** @param state the node's state */
    public ClusterixHealthIndicator(ClusterixState state) {
        this.state = state;
    }

    @Override
    public Health health() {
        Clusterix cluster = state.cluster();
        ClusterixState.Link link = state.link();
        Health.Builder health;
        String reason;
        switch (link) {
            case CONNECTED:
                health = Health.up();
                reason = null;
                break;
            case SUSPENDED:
                health = Health.outOfService();
                reason = "no heartbeat got through for timeout (" + cluster.keys() + "): other nodes may declare this"
                        + " node dead";
                break;
            default:
                health = Health.down();
                reason = state.reason();
                break;
        }
        health.withDetail("cluster", cluster.id()).withDetail("node", cluster.nodeId())
                .withDetail("incarnation", cluster.incarnation()).withDetail("connectionState", link.name())
                .withDetail("members", cluster.view().members().size());
        if (reason != null) {
            health.withDetail("reason", reason);
        }
        return health.build();
    }
}
