package io.clusterix.spi;

import java.util.Optional;

/**
 * Creates {@link HeartbeatStore}s for one Redis client library. Found with {@link java.util.ServiceLoader}: a backend
 * lists its implementation in {@code META-INF/services/io.clusterix.spi.HeartbeatStoreProvider} and in
 * {@code provides io.clusterix.spi.HeartbeatStoreProvider with ...} in its {@code module-info}.
 *
 * <p>{@link io.clusterix.Clusterix#builder(Object)} asks each provider found whether it {@link #supports} the client
 * object and uses the first that does; the system property {@value #PROVIDER_PROPERTY} (a provider's {@link #name()}
 * or class name) restricts the choice to one provider. Implementations must have a public no-argument constructor
 * and be thread-safe.
 *
 * <p>A backend is usually on the class path with its client library, but need not be: an application that uses
 * Lettuce may still carry {@code clusterix-jedis} without Jedis. Every call of a provider is therefore guarded: a
 * {@link LinkageError} from {@link #supports}, {@link #supportedClients}, {@link #hint} or {@link #create} means
 * "this backend's client library is missing"; the provider is skipped with a warning that names
 * {@link #artifact()} and {@link #clientLibrary()}, and discovery goes on with the others. {@link #name()},
 * {@link #artifact()} and {@link #clientLibrary()} must therefore not touch the client library's classes.
 */
public interface HeartbeatStoreProvider {

    /** System property that selects one provider by {@link #name()} or class name, for when several match. */
    String PROVIDER_PROPERTY = "clusterix.provider";

    /**
     * @return a short name, e.g. {@code "jedis"}
     */
    String name();

    /**
     * @return what client objects this provider accepts, for error messages, e.g.
     *         {@code "redis.clients.jedis.UnifiedJedis, redis.clients.jedis.util.Pool<Jedis>"}
     */
    String supportedClients();

    /**
     * @return the Maven coordinates of the backend, for messages, e.g. {@code "io.clusterix:clusterix-jedis"}; must
     *         not load client classes. Default: {@code "the clusterix backend '<name>'"}.
     */
    default String artifact() {
        return "the clusterix backend '" + name() + "'";
    }

    /**
     * @return the client library the backend needs, for messages, e.g. {@code "Jedis (redis.clients:jedis)"}; must
     *         not load client classes. Default: {@code "its Redis client library"}.
     */
    default String clientLibrary() {
        return "its Redis client library";
    }

    /**
     * What to pass instead of an object of this provider's client library that it does not accept (a near miss):
     * for example a single {@code Jedis} connection, or the {@code sync()} view of a Lettuce connection.
     *
     * @param client a client object that no provider {@link #supports}
     * @return the advice, naming the types to pass, or empty if the object is not of this provider's library
     */
    default Optional<String> hint(Object client) {
        return Optional.empty();
    }

    /**
     * @param client a Redis client object handed to {@link io.clusterix.Clusterix#builder(Object)}
     * @return true if {@link #create} accepts it
     */
    boolean supports(Object client);

    /**
     * Creates a store over the application's client. The store never closes that client.
     *
     * @param client a client for which {@link #supports} returned true
     * @return a new store
     * @throws IllegalArgumentException if the client is not supported
     */
    HeartbeatStore create(Object client);
}
