package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.Registration;
import org.springframework.context.ApplicationEventPublisher;

import java.util.List;

/**
 * Publishes the node's {@code NodeDownEvent}s, {@code MembershipEvent}s and {@code EvictionEvent}s as application
 * events, so that a plain {@code @EventListener void on(NodeDownEvent down)} receives them (Spring wraps them in a
 * {@code PayloadApplicationEvent}). Registered before the node joins, so that the death of this node's own
 * predecessor, reported during the join, is published too.
 *
 * <p>Publishing is synchronous on clusterix's listener thread (unless the application made its event multicaster
 * asynchronous): a node-down's claim is released only after every {@code @EventListener} returned, so the death
 * reaches exactly one instance at a time, and another one only if this one dies before its listeners return.
 */
public final class ClusterixApplicationEvents implements AutoCloseable {
    private final List<Registration> registrations;

    /**
     * @param cluster   the node
     * @param publisher where the events go
     */
    public ClusterixApplicationEvents(Clusterix cluster, ApplicationEventPublisher publisher) {
        this.registrations = List.of(cluster.onNodeDown(publisher::publishEvent),
                cluster.onMembershipChanged(publisher::publishEvent), cluster.onEvicted(publisher::publishEvent));
    }

    /** Stops publishing. */
    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
