package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.EvictionEvent;
import io.clusterix.Registration;

import java.util.List;
import java.util.Objects;

/**
 * What the application's node is, for its health and its actuator endpoint: a member that is connected or
 * {@code SUSPENDED} ({@link Clusterix#isSuspended()}), or not a member, and then why (not started yet, the join failed, it was evicted and rejoins or
 * stopped, the application stops). {@link Clusterix} answers whether it is a member ({@link Clusterix#incarnation()}
 * is 0 when it is not); the rest is remembered here from its listeners and from {@link ClusterixLifecycle}.
 * Thread-safe.
 */
public final class ClusterixState implements AutoCloseable {
    /** Where the node is. */
    public enum Link {
        /** A member whose heartbeats get through. */
        CONNECTED,
        /** A member whose heartbeats have not got through for {@code timeout}: others may declare it dead. */
        SUSPENDED,
        /** Not a member: see {@link #reason()}. */
        NOT_MEMBER
    }

    private final Clusterix cluster;
    private final List<Registration> registrations;
    private volatile EvictionEvent lastEviction;
    private volatile String stopReason = "not started yet: the application context has not started clusterix";

    /** @param cluster the node; this registers listeners on it */
    public ClusterixState(Clusterix cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.registrations = List.of(cluster.onEvicted(eviction -> lastEviction = eviction));
    }

    /** @return the node */
    public Clusterix cluster() {
        return cluster;
    }

    /** @return where the node is now */
    public Link link() {
        if (cluster.incarnation() == 0) {
            return Link.NOT_MEMBER;
        }
        return cluster.isSuspended() ? Link.SUSPENDED : Link.CONNECTED;
    }

    /** @return why the node is not a member, or null while it is one */
    public String reason() {
        if (cluster.incarnation() != 0) {
            return null;
        }
        String stopped = stopReason;
        if (stopped != null) {
            return stopped;
        }
        EvictionEvent eviction = lastEviction;
        if (eviction != null) {
            return "evicted (" + eviction.reason() + "): incarnation " + eviction.lostIncarnation() + " lost its entry;"
                    + " it rejoins as a new incarnation, or stays out with clusterix.eviction-policy=STOP";
        }
        return "joining";
    }

    /** The lifecycle is joining. */
    void joining() {
        stopReason = null;
    }

    /** @param why the join failed, or the application stops */
    void stopped(String why) {
        stopReason = why;
    }

    /** Removes the listeners. */
    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
