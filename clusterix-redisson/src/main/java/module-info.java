/**
 * clusterix backend for Redisson: a {@link io.clusterix.spi.HeartbeatStore} over the application's
 * {@code RedissonClient}, found by {@link java.util.ServiceLoader}.
 */
module io.clusterix.redisson {
    // Transitive: the public signatures here use clusterix's SPI types and the client's types.
    requires transitive io.clusterix;
    requires transitive redisson;

    exports io.clusterix.redisson;

    provides io.clusterix.spi.HeartbeatStoreProvider with io.clusterix.redisson.RedissonHeartbeatStoreProvider;
}
