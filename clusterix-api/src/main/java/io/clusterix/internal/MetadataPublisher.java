package io.clusterix.internal;

import io.clusterix.ClusterixException;
import io.clusterix.spi.HeartbeatStore;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * This member's metadata: what its joins publish, and its updates, each recorded as an {@code UPDATED} change that
 * every member receives with its next heartbeat.
 */
final class MetadataPublisher {
    private final Object lock;
    private final Membership membership;
    private final EngineOptions options;
    private final HeartbeatStore store;
    private final Executor callbacks;
    /** Guarded by lock. */
    private Map<String, String> metadata;

    MetadataPublisher(Object lock, Membership membership, EngineOptions options, HeartbeatStore store,
                      Executor callbacks) {
        this.lock = lock;
        this.membership = membership;
        this.options = options;
        this.store = store;
        this.callbacks = callbacks;
        this.metadata = options.metadata();
    }

    /** @return what the next join publishes */
    Map<String, String> current() {
        synchronized (lock) {
            return metadata;
        }
    }

    /**
     * @param newMetadata the metadata to publish, checked here
     * @return completes once it is written; for a node that is not a member, at once (its next join publishes it)
     * @throws IllegalArgumentException naming the key and size that are not acceptable
     */
    CompletableFuture<Void> update(Map<String, String> newMetadata) {
        Map<String, String> checked = MetadataRules.check(newMetadata, "updateMetadata()");
        long owned;
        synchronized (lock) {
            metadata = checked;
            if (membership.phase() != Membership.Phase.MEMBER) {
                return CompletableFuture.completedFuture(null);
            }
            owned = membership.incarnation();
        }
        return publish(owned, checked);
    }

    /** @return publishes the metadata again after Redis lost this member's entry (and maybe its metadata) */
    CompletableFuture<Void> republish() {
        long owned;
        Map<String, String> current;
        synchronized (lock) {
            if (membership.phase() != Membership.Phase.MEMBER || metadata.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            owned = membership.incarnation();
            current = metadata;
        }
        return publish(owned, current);
    }

    private CompletableFuture<Void> publish(long incarnation, Map<String, String> published) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        StoreCalls.call(() -> store.updateMetadata(options.keys(), options.nodeId(), incarnation, published,
                options.timeout())).whenComplete((written, error) -> {
                    if (error != null) {
                        Callbacks.fail(callbacks, result, StoreCalls.unwrap(error));
                    } else if (!written) {
                        Callbacks.fail(callbacks, result, new ClusterixException("updateMetadata() of node '"
                                + options.nodeId() + "' in cluster " + options.keys() + ": incarnation "
                                + incarnation + " is no longer a member (it left or was evicted); the metadata is"
                                + " published with its next join"));
                    } else {
                        Callbacks.complete(callbacks, result, null);
                    }
                });
        return result;
    }
}
