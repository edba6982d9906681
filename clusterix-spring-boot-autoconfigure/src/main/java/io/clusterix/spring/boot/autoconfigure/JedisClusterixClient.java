package io.clusterix.spring.boot.autoconfigure;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPool;

/**
 * A {@link JedisPool} (the one pooled client that Jedis 7.0, which Spring Boot 4.0 brings, and Jedis 8 both have) with
 * the settings of Spring Data Redis' {@code JedisConnectionFactory}: that factory
 * keeps its pool to itself, so clusterix opens a client of its own to the same server, with the same credentials,
 * database, client name and TLS socket factory, and closes it when the context closes (after the node left).
 * Standalone only: a Sentinel or Cluster factory fails with what to do instead.
 *
 * @param client the client
 */
record JedisClusterixClient(JedisPool client) implements AutoCloseable {

    /**
     * @param factory the application's factory
     * @return a client to the same server
     * @throws IllegalStateException for a Sentinel or Cluster factory
     */
    static JedisClusterixClient of(JedisConnectionFactory factory) {
        if (factory.isRedisSentinelAware() || factory.isRedisClusterAware()) {
            throw new IllegalStateException("clusterix takes only a standalone Redis from Spring Data Redis' Jedis"
                    + " factory (spring.data.redis.client-type=jedis); for Sentinel or Cluster, use Lettuce (the"
                    + " default client-type) or define a ClusterixRedis bean with a Jedis RedisSentinelClient or"
                    + " RedisClusterClient of your own.");
        }
        RedisStandaloneConfiguration server = factory.getStandaloneConfiguration();
        JedisClientConfiguration settings = factory.getClientConfiguration();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .database(server.getDatabase()).ssl(settings.isUseSsl())
                .timeoutMillis((int) settings.getReadTimeout().toMillis())
                .connectionTimeoutMillis((int) settings.getConnectTimeout().toMillis());
        if (server.getUsername() != null) {
            config.user(server.getUsername());
        }
        server.getPassword().toOptional().ifPresent(password -> config.password(new String(password)));
        settings.getClientName().ifPresent(config::clientName);
        settings.getSslSocketFactory().ifPresent(config::sslSocketFactory);
        settings.getSslParameters().ifPresent(config::sslParameters);
        settings.getHostnameVerifier().ifPresent(config::hostnameVerifier);
        return new JedisClusterixClient(new JedisPool(new HostAndPort(server.getHostName(), server.getPort()),
                config.build()));
    }

    @Override
    public void close() {
        client.close();
    }
}
