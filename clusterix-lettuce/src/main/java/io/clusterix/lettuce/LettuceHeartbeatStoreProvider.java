package io.clusterix.lettuce;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.reactive.BaseRedisReactiveCommands;
import io.lettuce.core.api.sync.BaseRedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;

import java.util.Optional;

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

    /** @return {@code "io.clusterix:clusterix-lettuce"} */
    @Override
    public String artifact() {
        return "io.clusterix:clusterix-lettuce";
    }

    /** @return {@code "Lettuce (io.lettuce:lettuce-core)"} */
    @Override
    public String clientLibrary() {
        return "Lettuce (io.lettuce:lettuce-core)";
    }

    /**
     * The command views of a connection ({@code sync()}, {@code async()}, {@code reactive()}) are proxies that hide
     * their connection; a Sentinel connection talks to the Sentinels, not to the master.
     */
    @Override
    public Optional<String> hint(Object client) {
        if (client instanceof BaseRedisCommands || client instanceof BaseRedisAsyncCommands
                || client instanceof BaseRedisReactiveCommands) {
            return Optional.of("This is the sync(), async() or reactive() command view of a Lettuce connection: pass"
                    + " the StatefulRedisConnection it came from (or its StatefulRedisClusterConnection), or the"
                    + " RedisClient, instead.");
        }
        if (client instanceof StatefulRedisSentinelConnection) {
            return Optional.of("A StatefulRedisSentinelConnection talks to the Sentinels, not to the master: pass a"
                    + " RedisClient created with a redis-sentinel://host:26379#mymaster URI instead.");
        }
        return Optional.empty();
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
