package io.clusterix.spring.boot.autoconfigure;

import java.util.Objects;

/**
 * The Redis client the auto-configured {@code Clusterix} is built from, taken from a bean the application already
 * has, and where it came from, so that an error can say which settings to fix. Define a bean of this type to hand
 * clusterix another client; the application keeps owning (and closing) the client.
 *
 * @param client   a client object a clusterix backend supports (a {@code RedissonClient}, a Lettuce
 *                 {@code RedisClient} or {@code RedisClusterClient}, a Jedis {@code UnifiedJedis}, ...)
 * @param source   where it came from, e.g. {@code "the native client of the LettuceConnectionFactory bean"}
 * @param settings where its connection settings are configured, e.g. {@code "spring.data.redis.*"}
 */
public record ClusterixRedis(Object client, String source, String settings) {

    /** @throws NullPointerException if a component is null */
    public ClusterixRedis {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(settings, "settings");
    }
}
