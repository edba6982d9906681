package io.clusterix.spi;

/**
 * Creates {@link HeartbeatStore}s for one Redis client library. Found with {@link java.util.ServiceLoader}: a backend
 * lists its implementation in {@code META-INF/services/io.clusterix.spi.HeartbeatStoreProvider} and in
 * {@code provides io.clusterix.spi.HeartbeatStoreProvider with ...} in its {@code module-info}.
 *
 * <p>{@link io.clusterix.Clusterix#builder(Object)} asks each provider found whether it {@link #supports} the client
 * object and uses the first that does; the system property {@value #PROVIDER_PROPERTY} (a provider's {@link #name()}
 * or class name) restricts the choice to one provider. Implementations must have a public no-argument constructor
 * and be thread-safe.
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
