package io.clusterix.internal;

import io.clusterix.ConnectionState;
import io.clusterix.EvictionEvent;
import io.clusterix.HeartbeatTiming;
import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownEvent;
import io.clusterix.Registration;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The kinds of listeners of one engine, on one executor. An application's executor is reached through the
 * callback pool, never straight from the scheduler: one that runs tasks on the calling thread would otherwise run
 * listeners on the JVM's one scheduler thread and stall the heartbeats of every engine.
 */
public final class EventListeners {
    final Listeners<Throwable> errors;
    final Listeners<NodeDownEvent> nodeDowns;
    final Listeners<EvictionEvent> evictions;
    final Listeners<ConnectionState> connectionStates;
    final Listeners<MembershipEvent> membership;
    final Listeners<HeartbeatTiming> heartbeats;

    /**
     * @param nodeId     the node, for log lines
     * @param configured the listener executor the application configured (or the default, the callback pool)
     * @param callbacks  the callback pool
     */
    EventListeners(String nodeId, Executor configured, Executor callbacks) {
        Executor executor = configured == callbacks ? configured
                : task -> callbacks.execute(() -> configured.execute(task));
        this.errors = new Listeners<>(nodeId, executor, null);
        this.nodeDowns = new Listeners<>(nodeId, executor, errors::deliver);
        this.evictions = new Listeners<>(nodeId, executor, errors::deliver);
        this.connectionStates = new Listeners<>(nodeId, executor, errors::deliver);
        this.membership = new Listeners<>(nodeId, executor, errors::deliver);
        this.heartbeats = new Listeners<>(nodeId, executor, errors::deliver);
    }

    /**
     * @param listener receives each death this node claimed
     * @return the registration
     */
    public Registration onNodeDown(Consumer<? super NodeDownEvent> listener) {
        return nodeDowns.add(listener);
    }

    /**
     * @param listener receives this node's evictions
     * @return the registration
     */
    public Registration onEvicted(Consumer<? super EvictionEvent> listener) {
        return evictions.add(listener);
    }

    /**
     * @param listener receives background failures
     * @return the registration
     */
    public Registration onError(Consumer<? super Throwable> listener) {
        return errors.add(listener);
    }

    /**
     * @param listener receives connection state changes
     * @return the registration
     */
    public Registration onConnectionStateChanged(Consumer<? super ConnectionState> listener) {
        return connectionStates.add(listener);
    }

    /**
     * @param listener receives every membership change this node applies
     * @return the registration
     */
    public Registration onMembershipChanged(Consumer<? super MembershipEvent> listener) {
        return membership.add(listener);
    }

    /**
     * @param listener receives the round trip of each heartbeat that got a reply
     * @return the registration
     */
    public Registration onHeartbeat(Consumer<? super HeartbeatTiming> listener) {
        return heartbeats.add(listener);
    }
}
