/**
 * clusterix: cluster membership and "node down" detection on Redis.
 *
 * <p>The engine ({@link io.clusterix.Clusterix}) and the SPI ({@link io.clusterix.spi.HeartbeatStore}) live here;
 * a backend module (clusterix-jedis, clusterix-lettuce, clusterix-redisson) provides the store for one Redis client
 * and is found with {@link java.util.ServiceLoader}.
 */
module io.clusterix {
    requires org.slf4j;

    exports io.clusterix;
    exports io.clusterix.spi;

    uses io.clusterix.spi.HeartbeatStoreProvider;
}
