/**
 * clusterix backend for Jedis: a {@link io.clusterix.spi.HeartbeatStore} over the application's
 * {@code UnifiedJedis} (e.g. {@code RedisClient}, {@code RedisClusterClient}, {@code RedisSentinelClient},
 * {@code JedisCluster}) or {@code Pool<Jedis>} ({@code JedisPool}, {@code JedisSentinelPool}), found by
 * {@link java.util.ServiceLoader}.
 */
module io.clusterix.jedis {
    // Transitive: the public signatures here use clusterix's SPI types and the client's types.
    requires transitive io.clusterix;
    requires transitive redis.clients.jedis;

    exports io.clusterix.jedis;

    provides io.clusterix.spi.HeartbeatStoreProvider with io.clusterix.jedis.JedisHeartbeatStoreProvider;
}
