package io.clusterix.bench;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.jedis.JedisHeartbeatStore;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The three client libraries, each opened the way an application that shares K connections between many clusterix
 * instances would open it. The {@link HeartbeatStore}s come from the backend's {@link HeartbeatStoreProvider}, found
 * with {@link ServiceLoader} as {@code Clusterix.builder(client)} would find it.
 */
public enum Backend {
    /** A {@link JedisPool} of K connections; the store runs its blocking calls on its shared elastic thread pool. */
    JEDIS,
    /** K {@link StatefulRedisConnection}s of one Lettuce {@code RedisClient}, assigned to nodes round-robin. */
    LETTUCE,
    /** One {@link RedissonClient} whose connection pool holds K connections. */
    REDISSON;

    /** @return the provider's name: {@code jedis}, {@code lettuce} or {@code redisson} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param id {@code jedis}, {@code lettuce} or {@code redisson}
     * @return the backend
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Backend of(String id) {
        for (Backend backend : values()) {
            if (backend.id().equalsIgnoreCase(id.trim())) {
                return backend;
            }
        }
        throw new IllegalArgumentException("Unknown backend '" + id + "': use jedis, lettuce or redisson");
    }

    /**
     * Opens the client with {@code connections} connections to Redis.
     *
     * @param endpoint    the server
     * @param connections K, the number of connections every node of this JVM shares
     * @return the open clients; close them when done
     */
    public SharedClients connect(RedisEndpoint endpoint, int connections) {
        return connect(endpoint, connections, 0);
    }

    /**
     * Opens the client with {@code connections} connections to Redis.
     *
     * @param endpoint     the server
     * @param connections  K, the number of connections every node of this JVM shares
     * @param jedisThreads Jedis only: 0 for the store the provider creates (blocking calls on the backend's shared,
     *                     unbounded pool of threads); a positive number for a store built with its public
     *                     constructor on a fixed pool of that many threads (an experiment, not the default path)
     * @return the open clients; close them when done
     */
    public SharedClients connect(RedisEndpoint endpoint, int connections, int jedisThreads) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1, was " + connections);
        }
        HeartbeatStoreProvider provider = provider(id());
        switch (this) {
            case JEDIS: {
                GenericObjectPoolConfig<Jedis> pool = new GenericObjectPoolConfig<>();
                pool.setMaxTotal(connections);
                pool.setMaxIdle(connections);
                pool.setMinIdle(connections);
                // A call that finds every connection busy waits for one (the default): that is the K bound.
                pool.setBlockWhenExhausted(true);
                // RESP2, as Jedis's Jedis/JedisPool always speak it; saying so silences Jedis's warning about RESP3.
                DefaultJedisClientConfig.Builder config =
                        DefaultJedisClientConfig.builder().autoNegotiateProtocol(false);
                if (endpoint.password() != null) {
                    config.user(endpoint.username()).password(endpoint.password());
                }
                JedisPool jedisPool = new JedisPool(pool, new HostAndPort(endpoint.host(), endpoint.port()),
                        config.build());
                if (jedisThreads > 0) {
                    ExecutorService threads = Executors.newFixedThreadPool(jedisThreads, runnable -> {
                        Thread thread = new Thread(runnable, "bench-jedis-fixed");
                        thread.setDaemon(true);
                        return thread;
                    });
                    HeartbeatStore store = new JedisHeartbeatStore(jedisPool, threads, jedisThreads);
                    return new SharedClients("JedisPool maxTotal=" + connections + ", " + jedisThreads + " threads",
                            List.of(store), () -> {
                                threads.shutdownNow();
                                jedisPool.close();
                            });
                }
                HeartbeatStore store = provider.create(jedisPool);
                return new SharedClients("JedisPool maxTotal=" + connections, List.of(store), jedisPool::close);
            }
            case LETTUCE: {
                RedisURI.Builder uri = RedisURI.Builder.redis(endpoint.host(), endpoint.port());
                if (endpoint.password() != null) {
                    if (endpoint.username() != null) {
                        uri.withAuthentication(endpoint.username(), endpoint.password());
                    } else {
                        uri.withPassword(endpoint.password().toCharArray());
                    }
                }
                io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(uri.build());
                List<StatefulRedisConnection<String, String>> opened = new ArrayList<>();
                List<HeartbeatStore> stores = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
                    opened.add(connection);
                    // The connection, not the client: a store given the client would open a connection per node.
                    stores.add(provider.create(connection));
                }
                return new SharedClients(connections + " Lettuce connections", stores, () -> {
                    opened.forEach(StatefulRedisConnection::close);
                    client.shutdown();
                });
            }
            case REDISSON: {
                Config config = new Config();
                SingleServerConfig server = config.useSingleServer()
                        .setAddress("redis://" + endpoint.host() + ":" + endpoint.port())
                        .setConnectionPoolSize(connections)
                        .setConnectionMinimumIdleSize(connections);
                if (endpoint.password() != null) {
                    server.setUsername(endpoint.username()).setPassword(endpoint.password());
                }
                RedissonClient redisson = Redisson.create(config);
                HeartbeatStore store = provider.create(redisson);
                return new SharedClients("Redisson connectionPoolSize=" + connections, List.of(store),
                        redisson::shutdown);
            }
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * @param name a provider's {@link HeartbeatStoreProvider#name()}
     * @return that provider, found with {@link ServiceLoader}
     */
    static HeartbeatStoreProvider provider(String name) {
        List<String> found = new ArrayList<>();
        for (HeartbeatStoreProvider provider : ServiceLoader.load(HeartbeatStoreProvider.class)) {
            if (provider.name().equals(name)) {
                return provider;
            }
            found.add(provider.name());
        }
        throw new IllegalStateException("No HeartbeatStoreProvider named '" + name + "' on the class path (found "
                + found + "): add io.clusterix:clusterix-" + name);
    }

    /**
     * The clients of one run: the backend stores, which every node of the run shares, and what closes them.
     */
    public static final class SharedClients implements AutoCloseable {
        private final String description;
        private final List<HeartbeatStore> stores;
        private final Runnable closer;

        SharedClients(String description, List<HeartbeatStore> stores, Runnable closer) {
            this.description = description;
            this.stores = List.copyOf(stores);
            this.closer = closer;
        }

        /**
         * @param node the node's index
         * @return the store that node uses: one shared store, or (Lettuce) the store of connection {@code node % K}
         */
        public HeartbeatStore store(int node) {
            return stores.get(node % stores.size());
        }

        /** @return how the clients were opened, e.g. {@code JedisPool maxTotal=8} */
        public String description() {
            return description;
        }

        @Override
        public void close() {
            stores.forEach(HeartbeatStore::close);
            closer.run();
        }
    }
}
