package io.clusterix.internal;

import io.clusterix.ConnectionState;
import io.clusterix.EvictionEvent;
import io.clusterix.NodeDownEvent;

import java.util.concurrent.Executor;

/**
 * The four kinds of listeners of one engine, on one executor. An application's executor is reached through the
 * callback pool, never straight from the scheduler: one that runs tasks on the calling thread would otherwise run
 * listeners on the JVM's one scheduler thread and stall the heartbeats of every engine.
 */
final class EventListeners {
    final Listeners<Throwable> errors;
    final Listeners<NodeDownEvent> nodeDowns;
    final Listeners<EvictionEvent> evictions;
    final Listeners<ConnectionState> connectionStates;

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
    }
}
