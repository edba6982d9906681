package io.clusterix.lettuce;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;

/**
 * Finds {@link LettuceHeartbeatStore} for {@link io.clusterix.Clusterix#builder(Object)}: accepts a
 * {@link RedisClient}, a {@link RedisClusterClient} (the store then opens and closes a connection of its own), a
 * {@link StatefulRedisConnection} or a {@link StatefulRedisClusterConnection} of any codec (shared, never closed).
 */
public final class LettuceHeartbeatStoreProvider implements HeartbeatStoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public LettuceHeartbeatStoreProvider() {
    }

    /** @return {@code "lettuce"} */
    @Override
    public String name() {
        return "lettuce";
    }

    @Override
    public String supportedClients() {
        return RedisClient.class.getName() + ", " + RedisClusterClient.class.getName() + ", "
                + StatefulRedisConnection.class.getName() + ", " + StatefulRedisClusterConnection.class.getName();
    }

    @Override
    public boolean supports(Object client) {
        return client instanceof RedisClient || client instanceof RedisClusterClient
                || client instanceof StatefulRedisConnection || client instanceof StatefulRedisClusterConnection;
    }

    @Override
    public HeartbeatStore create(Object client) {
        if (client instanceof RedisClient redis) {
            return new LettuceHeartbeatStore(redis);
        }
        if (client instanceof RedisClusterClient cluster) {
            return new LettuceHeartbeatStore(cluster);
        }
        if (client instanceof StatefulRedisConnection<?, ?> connection) {
            return new LettuceHeartbeatStore(connection);
        }
        if (client instanceof StatefulRedisClusterConnection<?, ?> connection) {
            return new LettuceHeartbeatStore(connection);
        }
        throw new IllegalArgumentException("The lettuce clusterix backend does not support a client of class "
                + (client == null ? "null" : client.getClass().getName()) + "; it accepts " + supportedClients() + ".");
    }
}
