package io.clusterix.bench;

import io.clusterix.Clusterix;

import java.util.concurrent.CompletableFuture;

/**
 * One virtual node of a {@link SimulationRun}: a real {@link Clusterix} over its own {@link CountingHeartbeatStore},
 * and what the run did to it (joined, chosen as a victim, killed), written by the run and read by its listeners.
 */
final class VirtualNode {
    final int index;
    final String id;
    final CountingHeartbeatStore store;
    final Clusterix cluster;
    volatile boolean member;
    volatile long killedAt;
    /** Chosen to be killed in this run's window: it need not get every version. */
    volatile boolean victim;
    /** The version of the view its join returned; -1 until it joined. */
    volatile long joinVersion = -1;
    /** System.nanoTime() its join completed. */
    volatile long joinedAt;

    VirtualNode(int index, String id, CountingHeartbeatStore store, Clusterix cluster) {
        this.index = index;
        this.id = id;
        this.store = store;
        this.cluster = cluster;
    }

    /** Starts the node's join; marks it a member, with the version its join returned, when the join completes. */
    CompletableFuture<Void> join() {
        return cluster.initializeNode().whenComplete((ok, error) -> {
            if (error == null) {
                joinVersion = cluster.view().version();
                joinedAt = System.nanoTime();
                member = true;
            }
        });
    }
}
