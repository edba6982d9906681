package io.clusterix.spring.boot.autoconfigure;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClusterConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSentinelPool;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The Jedis client clusterix uses under Spring Data Redis' {@code JedisConnectionFactory}, for each topology of
 * {@code spring.data.redis.*}, with only types that Jedis 7.0 (which Spring Boot 4.0 brings) and Jedis 8 both have:
 * <ul>
 *   <li>Cluster: the factory's own {@link JedisCluster}, which {@link JedisClusterConnection#getNativeConnection()}
 *       hands out publicly (the factory owns and closes it, after this node left);</li>
 *   <li>Sentinel: a {@link JedisSentinelPool} of clusterix's own, and standalone a {@link JedisPool}, with the
 *       factory's settings (servers, master name, credentials of the data nodes and of the Sentinels, database, client
 *       name, timeouts, TLS), closed with the context: the factory keeps its {@code Pool<Jedis>} private, and the one
 *       {@code Jedis} of a {@code JedisConnection} is a single, not thread-safe connection.</li>
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
        if (factory.isRedisClusterAware()) {
            RedisClusterConnection connection = factory.getClusterConnection();
            try {
                // Closing this connection leaves the factory's JedisCluster open: it is shared by every connection.
                JedisCluster cluster = ((JedisClusterConnection) connection).getNativeConnection();
                return new JedisClusterixClient(cluster, false, "the JedisCluster of the JedisConnectionFactory bean");
            } finally {
                connection.close();
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
                config(settings, server.getDatabase(), server.getUsername(), server.getPassword()).build()), true, "a JedisPool with the settings of the JedisConnectionFactory bean");
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
