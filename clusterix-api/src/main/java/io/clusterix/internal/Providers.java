package io.clusterix.internal;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Backend discovery, in exactly one place: {@link ServiceLoader} over the thread's context class loader and
 * clusterix's own, a provider that fails to load is logged and skipped, the system property
 * {@value HeartbeatStoreProvider#PROVIDER_PROPERTY} selects one provider explicitly.
 */
public final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    static final String ARTIFACTS = "io.clusterix:clusterix-jedis (Jedis), io.clusterix:clusterix-lettuce (Lettuce)"
            + " or io.clusterix:clusterix-redisson (Redisson)";

    private Providers() {
    }

    /**
     * @return every provider that loads, in discovery order, without duplicates
     */
    public static List<HeartbeatStoreProvider> all() {
        Map<String, HeartbeatStoreProvider> found = new LinkedHashMap<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            load(ServiceLoader.load(HeartbeatStoreProvider.class, context), found);
        }
        load(ServiceLoader.load(HeartbeatStoreProvider.class, Providers.class.getClassLoader()), found);
        return new ArrayList<>(found.values());
    }

    private static void load(ServiceLoader<HeartbeatStoreProvider> loader, Map<String, HeartbeatStoreProvider> found) {
        Iterator<HeartbeatStoreProvider> it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                HeartbeatStoreProvider provider = it.next();
                found.putIfAbsent(provider.getClass().getName(), provider);
            } catch (ServiceConfigurationError | LinkageError e) {
                // A backend whose client library is missing or of a wrong version: skip it, keep looking.
                LOG.warn("Skipping a clusterix HeartbeatStoreProvider that failed to load: {}. Usually its Redis"
                        + " client library is missing or of an unsupported version; add the client, or remove the"
                        + " clusterix backend artifact you do not use.", e.toString());
            }
        }
    }

    /**
     * Creates a store for the given client with the provider that supports it.
     *
     * @param client the application's Redis client
     * @return a new store, owned by the caller
     * @throws IllegalArgumentException naming the client's class, the providers found and the artifact to add
     */
    public static HeartbeatStore storeFor(Object client) {
        return choose(client, all()).create(client);
    }

    static HeartbeatStoreProvider choose(Object client, List<HeartbeatStoreProvider> providers) {
        String wanted = System.getProperty(HeartbeatStoreProvider.PROVIDER_PROPERTY);
        List<HeartbeatStoreProvider> candidates = providers;
        if (wanted != null && !wanted.isBlank()) {
            candidates = providers.stream()
                    .filter(p -> p.name().equals(wanted) || p.getClass().getName().equals(wanted))
                    .collect(Collectors.toList());
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("System property " + HeartbeatStoreProvider.PROVIDER_PROPERTY
                        + "=" + wanted + " names no clusterix provider on the class path. Found: " + describe(providers)
                        + ". Remove the property or add the backend artifact: " + ARTIFACTS + ".");
            }
        }
        List<HeartbeatStoreProvider> matching = candidates.stream().filter(p -> supports(p, client))
                .collect(Collectors.toList());
        if (matching.isEmpty()) {
            throw new IllegalArgumentException("No clusterix backend supports a Redis client of class "
                    + client.getClass().getName() + ". Providers found: " + describe(candidates)
                    + ". Add the backend artifact for your client, " + ARTIFACTS
                    + ", or pass a HeartbeatStore to Clusterix.builder(HeartbeatStore).");
        }
        if (matching.size() > 1) {
            LOG.warn("Several clusterix providers support a client of class {}: {}. Using '{}'; set the system"
                            + " property {} to choose another.", client.getClass().getName(), describe(matching),
                    matching.get(0).name(), HeartbeatStoreProvider.PROVIDER_PROPERTY);
        }
        return matching.get(0);
    }

    private static boolean supports(HeartbeatStoreProvider provider, Object client) {
        try {
            return provider.supports(client);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("clusterix provider '{}' failed while checking a client of class {}; skipping it: {}",
                    provider.name(), client.getClass().getName(), e.toString());
            return false;
        }
    }

    private static String describe(List<HeartbeatStoreProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        return providers.stream().map(p -> p.name() + " (" + p.supportedClients() + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
