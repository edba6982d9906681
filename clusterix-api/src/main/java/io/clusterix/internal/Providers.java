package io.clusterix.internal;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Backend discovery, in exactly one place: {@link ServiceLoader} over the thread's context class loader and
 * clusterix's own, a provider that fails to load is logged and skipped, the system property
 * {@value HeartbeatStoreProvider#PROVIDER_PROPERTY} selects one provider explicitly.
 *
 * <p>Every call of a provider is guarded: a backend whose client library is missing ({@code clusterix-jedis} without
 * Jedis) fails with a {@link LinkageError} as soon as it touches a client class. It is skipped with one warning per
 * JVM that names the backend's artifact and the missing library, and discovery goes on with the others.
 */
public final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);

    static final String ARTIFACTS = "io.clusterix:clusterix-jedis (Jedis), io.clusterix:clusterix-lettuce (Lettuce)"
            + " or io.clusterix:clusterix-redisson (Redisson)";

    /** What was already reported: provider class names whose client library is missing, load failures. */
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

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
                if (REPORTED.add(e.toString())) {
                    LOG.warn("Skipping a clusterix HeartbeatStoreProvider that failed to load: {}. Usually its Redis"
                            + " client library is missing or of an unsupported version; add the client, or remove"
                            + " the clusterix backend artifact you do not use.", e.toString());
                }
            }
        }
    }

    /**
     * Creates a store for the given client with the provider that supports it.
     *
     * @param client the application's Redis client
     * @return a new store, owned by the caller
     * @throws IllegalArgumentException naming the client's class, the providers found and the artifact to add, with
     *                                  a hint when the client is a near miss (a type of a supported library that
     *                                  clusterix does not accept)
     */
    public static HeartbeatStore storeFor(Object client) {
        HeartbeatStoreProvider provider = choose(client, all());
        try {
            return provider.create(client);
        } catch (LinkageError e) {
            throw new IllegalArgumentException(missingLibrary(provider, e), e);
        }
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
                        + "=" + wanted + " names no clusterix provider on the class path. Found: "
                        + describe(providers, Map.of()) + ". Remove the property or add the backend artifact: "
                        + ARTIFACTS + ".");
            }
        }
        List<HeartbeatStoreProvider> matching = new ArrayList<>();
        Map<HeartbeatStoreProvider, String> unusable = new LinkedHashMap<>();
        for (HeartbeatStoreProvider provider : candidates) {
            try {
                if (provider.supports(client)) {
                    matching.add(provider);
                }
            } catch (LinkageError e) {
                String why = missingLibrary(provider, e);
                unusable.put(provider, why);
                if (REPORTED.add(provider.getClass().getName())) {
                    LOG.warn("{}. Skipping that backend.", why);
                }
            } catch (RuntimeException e) {
                String why = "failed while checking a client of class " + className(client) + ": " + e;
                unusable.put(provider, why);
                LOG.warn("clusterix provider '{}' {}; skipping it", provider.name(), why);
            }
        }
        if (matching.isEmpty()) {
            throw new IllegalArgumentException(noBackend(client, candidates, unusable));
        }
        if (matching.size() > 1) {
            LOG.warn("Several clusterix providers support a client of class {}: {}. Using '{}'; set the system"
                            + " property {} to choose another.", className(client), describe(matching, Map.of()),
                    matching.get(0).name(), HeartbeatStoreProvider.PROVIDER_PROPERTY);
        }
        return matching.get(0);
    }

    private static String noBackend(Object client, List<HeartbeatStoreProvider> candidates,
                                    Map<HeartbeatStoreProvider, String> unusable) {
        StringBuilder message = new StringBuilder("No clusterix backend supports a Redis client of class ")
                .append(className(client)).append('.');
        for (HeartbeatStoreProvider provider : candidates) {
            if (!unusable.containsKey(provider)) {
                hint(provider, client).ifPresent(hint -> message.append(' ').append(hint));
            }
        }
        return message.append(" Providers found: ").append(describe(candidates, unusable))
                .append(". Add the backend artifact for your client, ").append(ARTIFACTS)
                .append(", or pass a HeartbeatStore to Clusterix.builder(HeartbeatStore).").toString();
    }

    private static Optional<String> hint(HeartbeatStoreProvider provider, Object client) {
        try {
            return provider.hint(client);
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    private static String missingLibrary(HeartbeatStoreProvider provider, LinkageError e) {
        return provider.artifact() + " is on the class path but " + provider.clientLibrary() + " is not ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "): add the client library, or remove "
                + provider.artifact() + " if the application uses another Redis client";
    }

    private static String describe(List<HeartbeatStoreProvider> providers, Map<HeartbeatStoreProvider, String> why) {
        if (providers.isEmpty()) {
            return "none";
        }
        return providers.stream().map(p -> p.name() + " (" + accepted(p, why.get(p)) + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String accepted(HeartbeatStoreProvider provider, String unusable) {
        if (unusable != null) {
            return "unusable: " + unusable;
        }
        try {
            return provider.supportedClients();
        } catch (RuntimeException | LinkageError e) {
            return "unusable: " + (e instanceof LinkageError link ? missingLibrary(provider, link) : e.toString());
        }
    }

    /** A proxy's class name ({@code jdk.proxy1.$Proxy0}) says nothing: name the interfaces it implements. */
    static String className(Object client) {
        Class<?> type = client.getClass();
        if (Proxy.isProxyClass(type)) {
            return type.getName() + " (a proxy implementing " + Arrays.stream(type.getInterfaces())
                    .map(Class::getName).collect(Collectors.joining(", ")) + ")";
        }
        return type.getName();
    }
}
