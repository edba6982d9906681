package io.clusterix.spring.boot.autoconfigure;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.util.ReflectionUtils;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.UnifiedJedis;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Jedis client clusterix uses under Spring Data Redis' {@code JedisConnectionFactory}, for each topology of
 * {@code spring.data.redis.*}, with only types that the Jedis of Spring Boot 4.0 (7.0) and 4.1 (7.4) and Jedis 8 all
 * have:
 * <ul>
 *   <li>the factory's own client wherever it shares one through public API, owned and closed by the factory (after
 *       this node left): with Spring Data Redis 4.1 (Boot 4.1), which holds one {@link UnifiedJedis} for every
 *       topology ({@code RedisClient}, {@code RedisSentinelClient}, {@code RedisClusterClient}), what
 *       {@code getConnection().getNativeConnection()} returns; on a Redis Cluster with Spring Data Redis 4.0 too, its
 *       {@link JedisCluster} ({@code getClusterConnection().getNativeConnection()});</li>
 *   <li>else (Spring Data Redis 4.0, standalone or Sentinel) a {@link JedisPool} or {@link JedisSentinelPool} of
 *       clusterix's own with the factory's settings (servers, master name, credentials of the data nodes and of the
 *       Sentinels, database, client name, timeouts, TLS), closed with the context: that factory keeps its
 *       {@code Pool<Jedis>} private, and the one {@code Jedis} of a {@code JedisConnection} is a single, not
 *       thread-safe connection.</li>
 * </ul>
 *
 * @param client the client for {@code Clusterix.builder}
 * @param owned  true if clusterix opened it and closes it
 * @param source where it came from, for error messages
 */
record JedisClusterixClient(Object client, boolean owned, String source) implements AutoCloseable {

    /**
     * @param factory the application's factory, initialized
     * @return the client for the factory's topology
     */
    static JedisClusterixClient of(JedisConnectionFactory factory) {
        if (factory.isRedisClusterAware() || sharesOneClient(factory)) {
            RedisConnection connection = factory.isRedisClusterAware() ? factory.getClusterConnection()
                    : factory.getConnection();
            try {
                // Closing this connection leaves the factory's client open: every connection of the factory uses it.
                if (connection.getNativeConnection() instanceof UnifiedJedis shared) {
                    return new JedisClusterixClient(shared, false, "the " + shared.getClass().getSimpleName()
                            + " of the JedisConnectionFactory bean");
                }
            } finally {
                connection.close();
            }
            if (factory.isRedisClusterAware()) {
                throw new IllegalStateException("clusterix found no Jedis cluster client in the JedisConnectionFactory"
                        + " bean (spring.data.redis.cluster.nodes): its cluster connection's native connection is no"
                        + " UnifiedJedis. Use Lettuce (spring.data.redis.client-type=lettuce) or define a"
                        + " ClusterixRedis bean with a Jedis RedisClusterClient of your own.");
            }
        }
        JedisClientConfiguration settings = factory.getClientConfiguration();
        if (factory.isRedisSentinelAware()) {
            RedisSentinelConfiguration sentinel = factory.getSentinelConfiguration();
            if (sentinel.getMaster() == null) {
                throw new IllegalStateException("clusterix needs the name of the master that the Sentinels monitor:"
                        + " set spring.data.redis.sentinel.master.");
            }
            Set<HostAndPort> sentinels = new LinkedHashSet<>();
            for (RedisNode node : sentinel.getSentinels()) {
                sentinels.add(new HostAndPort(node.getHost(), node.getPort()));
            }
            JedisSentinelPool pool = new JedisSentinelPool(sentinel.getMaster().getName(), sentinels,
                    config(settings, sentinel.getDatabase(), sentinel.getUsername(), sentinel.getPassword()).build(),
                    config(settings, 0, sentinel.getSentinelUsername(), sentinel.getSentinelPassword()).build());
            return new JedisClusterixClient(pool, true, "a JedisSentinelPool with the settings of the"
                    + " JedisConnectionFactory bean");
        }
        RedisStandaloneConfiguration server = factory.getStandaloneConfiguration();
        return new JedisClusterixClient(new JedisPool(new HostAndPort(server.getHostName(), server.getPort()),
                config(settings, server.getDatabase(), server.getUsername(), server.getPassword()).build()), true,
                "a JedisPool with the settings of the JedisConnectionFactory bean");
    }

    /**
     * Spring Data Redis 4.1 can hold one {@code UnifiedJedis} for all its connections ({@code isUseUnifiedJedis()},
     * on by default where Jedis has {@code RedisClient}); 4.0 has no such method, and its connections borrow a
     * {@code Jedis} from a private pool. Asked reflectively, so that this class compiles and links with both.
     */
    private static boolean sharesOneClient(JedisConnectionFactory factory) {
        Method unified = ReflectionUtils.findMethod(JedisConnectionFactory.class, "isUseUnifiedJedis");
        return unified != null && Boolean.TRUE.equals(ReflectionUtils.invokeMethod(unified, factory));
    }

    private static DefaultJedisClientConfig.Builder config(JedisClientConfiguration settings, int database,
                                                           String username, RedisPassword password) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().database(database)
                .ssl(settings.isUseSsl()).timeoutMillis((int) settings.getReadTimeout().toMillis())
                .connectionTimeoutMillis((int) settings.getConnectTimeout().toMillis());
        if (username != null) {
            config.user(username);
        }
        password.toOptional().ifPresent(chars -> config.password(new String(chars)));
        settings.getClientName().ifPresent(config::clientName);
        settings.getSslSocketFactory().ifPresent(config::sslSocketFactory);
        settings.getSslParameters().ifPresent(config::sslParameters);
        settings.getHostnameVerifier().ifPresent(config::hostnameVerifier);
        return config;
    }

    /** Closes the client if clusterix opened it; the factory's own {@code JedisCluster} stays with the factory. */
    @Override
    public void close() {
        if (owned && client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("clusterix could not close " + source + ": " + e.getMessage(), e);
            }
        }
    }
}
