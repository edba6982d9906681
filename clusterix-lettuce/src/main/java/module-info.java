/**
 * clusterix backend for Lettuce: a {@link io.clusterix.spi.HeartbeatStore} over the application's
 * {@code RedisClient}, {@code RedisClusterClient}, {@code StatefulRedisConnection} or
 * {@code StatefulRedisClusterConnection}, found by {@link java.util.ServiceLoader}.
 */
module io.clusterix.lettuce {
    // Transitive: the public signatures here use clusterix's SPI types and the client's types.
    requires transitive io.clusterix;
    requires transitive lettuce.core;

    exports io.clusterix.lettuce;

    provides io.clusterix.spi.HeartbeatStoreProvider with io.clusterix.lettuce.LettuceHeartbeatStoreProvider;
}
