package io.clusterix.jedis;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Pool;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Optional;

/**
 * Finds {@link JedisHeartbeatStore} for {@link io.clusterix.Clusterix#builder(Object)}: accepts any
 * {@link UnifiedJedis} and any {@link Pool} of {@link Jedis} ({@code JedisPool}, {@code JedisSentinelPool}, or a
 * subclass of {@code Pool} that names {@code Jedis} as its type argument). A {@code Pool<Connection>} such as
 * {@code ConnectionPool} is not accepted: wrap it in a {@code UnifiedJedis} instead.
 */
public final class JedisHeartbeatStoreProvider implements HeartbeatStoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JedisHeartbeatStoreProvider() {
    }

    /** @return {@code "jedis"} */
    @Override
    public String name() {
        return "jedis";
    }

    /** @return {@code "io.clusterix:clusterix-jedis"} */
    @Override
    public String artifact() {
        return "io.clusterix:clusterix-jedis";
    }

    /** @return {@code "Jedis (redis.clients:jedis)"} */
    @Override
    public String clientLibrary() {
        return "Jedis (redis.clients:jedis)";
    }

    /** A single {@code Jedis} or {@code Connection} is one socket that is not thread-safe. */
    @Override
    public Optional<String> hint(Object client) {
        if (client instanceof Jedis || client instanceof Connection) {
            return Optional.of("A single " + client.getClass().getSimpleName() + " is one connection that is not"
                    + " thread-safe, and clusterix sends from its own threads: pass a RedisClient"
                    + " (RedisClient.create(\"redis://host:6379\")) or a JedisPool instead.");
        }
        if (client instanceof Pool<?>) {
            return Optional.of("clusterix-jedis accepts a Pool<Jedis> (JedisPool, JedisSentinelPool), not a pool of"
                    + " other objects: pass a RedisClient or a JedisPool instead.");
        }
        return Optional.empty();
    }

    @Override
    public String supportedClients() {
        return UnifiedJedis.class.getName() + " (RedisClient, RedisClusterClient, RedisSentinelClient, JedisCluster), "
                + Pool.class.getName() + "<Jedis> (JedisPool, JedisSentinelPool)";
    }

    @Override
    public boolean supports(Object client) {
        return client instanceof UnifiedJedis || (client instanceof Pool<?> pool && poolsJedis(pool.getClass()));
    }

    @Override
    public HeartbeatStore create(Object client) {
        if (client instanceof UnifiedJedis unified) {
            return new JedisHeartbeatStore(unified);
        }
        if (client instanceof Pool<?> pool && poolsJedis(pool.getClass())) {
            @SuppressWarnings("unchecked") // poolsJedis proved the type argument
            Pool<Jedis> jedisPool = (Pool<Jedis>) pool;
            return new JedisHeartbeatStore(jedisPool);
        }
        throw new IllegalArgumentException("The jedis clusterix backend does not support a client of class "
                + (client == null ? "null" : client.getClass().getName()) + "; it accepts " + supportedClients() + ".");
    }

    /**
     * Erasure hides what a {@code Pool} holds, but a subclass such as {@code JedisPool extends Pool<Jedis>} records
     * it in its generic superclass.
     */
    private static boolean poolsJedis(Class<?> type) {
        for (Class<?> c = type; c != null && c != Pool.class; c = c.getSuperclass()) {
            Type parent = c.getGenericSuperclass();
            if (parent instanceof ParameterizedType p && p.getRawType() == Pool.class) {
                Type element = p.getActualTypeArguments()[0];
                return element instanceof Class<?> held && Jedis.class.isAssignableFrom(held);
            }
        }
        return false;
    }
}
