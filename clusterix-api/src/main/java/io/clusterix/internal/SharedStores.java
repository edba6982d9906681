package io.clusterix.internal;

import io.clusterix.spi.HeartbeatStore;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One store per application client object, shared by every {@code Clusterix} built from it and closed when the last
 * of them is disposed: instances built from one Lettuce {@code RedisClient} share one connection, not one each.
 */
public final class SharedStores {
    private static final Map<Object, Shared> BY_CLIENT = new IdentityHashMap<>();

    private SharedStores() {
    }

    private static final class Shared {
        final HeartbeatStore store;
        int users;

        Shared(HeartbeatStore store) {
            this.store = store;
        }
    }

    /**
     * @param client the application's client
     * @return the store for it, created by its provider on first use
     */
    public static HeartbeatStore acquire(Object client) {
        synchronized (BY_CLIENT) {
            Shared shared = BY_CLIENT.get(client);
            if (shared == null) {
                shared = new Shared(Providers.storeFor(client));
                BY_CLIENT.put(client, shared);
            }
            shared.users++;
            return shared.store;
        }
    }

    /**
     * Gives back a store from {@link #acquire}; the last user closes it.
     *
     * @param client the client it was acquired for
     */
    public static void release(Object client) {
        HeartbeatStore last = null;
        synchronized (BY_CLIENT) {
            Shared shared = BY_CLIENT.get(client);
            if (shared != null && --shared.users == 0) {
                BY_CLIENT.remove(client);
                last = shared.store;
            }
        }
        if (last != null) {
            last.close();
        }
    }
}
