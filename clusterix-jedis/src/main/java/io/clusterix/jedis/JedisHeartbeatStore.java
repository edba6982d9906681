package io.clusterix.jedis;

import io.clusterix.spi.ScriptedHeartbeatStore;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ScriptingKeyCommands;
import redis.clients.jedis.util.Pool;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link io.clusterix.spi.HeartbeatStore} over a Jedis client: a {@link UnifiedJedis} (standalone, Sentinel or
 * Cluster, e.g. {@code RedisClient}, {@code RedisSentinelClient}, {@code RedisClusterClient}, {@code JedisCluster})
 * or a {@link Pool} of {@link Jedis} connections ({@code JedisPool}, {@code JedisSentinelPool}).
 *
 * <p>Jedis blocks the calling thread for each command, so every call runs on an executor and the caller only gets a
 * future: by default a pool of daemon threads named {@code clusterix-jedis-N} that all stores of the JVM share, which
 * grows with the number of calls in flight and shrinks when idle; or the executor given to the constructor.
 *
 * <p>Ownership: the client, the pool and the executor belong to the application, which closes them. This store opens
 * nothing itself, so {@link #close()} does nothing. Thread-safe, as the Jedis clients it accepts are.
 */
public final class JedisHeartbeatStore extends ScriptedHeartbeatStore {

    private final Connections connections;
    private final Executor executor;

    /**
     * Creates a store that runs its calls on the shared {@code clusterix-jedis-N} threads.
     *
     * @param client the application's client; not closed by this store
     */
    public JedisHeartbeatStore(UnifiedJedis client) {
        this(client, SharedExecutor.INSTANCE);
    }

    /**
     * Creates a store that runs its calls, each of which blocks a thread until Redis answers, on {@code executor}.
     *
     * @param client   the application's client; not closed by this store
     * @param executor where the blocking Jedis calls run; not shut down by this store
     */
    public JedisHeartbeatStore(UnifiedJedis client, Executor executor) {
        Objects.requireNonNull(client, "client");
        this.connections = command -> command.apply(client);
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Creates a store that borrows a connection from {@code pool} for each call, on the shared
     * {@code clusterix-jedis-N} threads.
     *
     * @param pool the application's pool, e.g. a {@code JedisPool} or {@code JedisSentinelPool}; not closed by this
     *             store
     */
    public JedisHeartbeatStore(Pool<Jedis> pool) {
        this(pool, SharedExecutor.INSTANCE);
    }

    /**
     * Creates a store that borrows a connection from {@code pool} for each call, on {@code executor}.
     *
     * @param pool     the application's pool; not closed by this store
     * @param executor where the blocking Jedis calls run; not shut down by this store
     */
    public JedisHeartbeatStore(Pool<Jedis> pool, Executor executor) {
        Objects.requireNonNull(pool, "pool");
        this.connections = command -> {
            // Jedis.close() returns the connection to the pool, or discards it if an I/O error broke it.
            try (Jedis jedis = pool.getResource()) {
                return command.apply(jedis);
            }
        };
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    protected CompletionStage<?> evalSha(String sha1, List<String> keys, List<String> args) {
        return CompletableFuture.supplyAsync(() -> connections.run(jedis -> jedis.evalsha(sha1, keys, args)), executor);
    }

    @Override
    protected CompletionStage<?> eval(String script, List<String> keys, List<String> args) {
        return CompletableFuture.supplyAsync(() -> connections.run(jedis -> jedis.eval(script, keys, args)), executor);
    }

    /** Runs one command on a connection: the client itself, or one borrowed from the pool for this command. */
    @FunctionalInterface
    private interface Connections {
        Object run(Function<ScriptingKeyCommands, Object> command);
    }

    /** Holder idiom: the shared pool is created only once a store uses it. */
    private static final class SharedExecutor {
        private static final AtomicInteger THREADS = new AtomicInteger();
        static final ExecutorService INSTANCE = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "clusterix-jedis-" + THREADS.incrementAndGet());
            // Daemon: an application that never disposes clusterix must still be able to exit.
            thread.setDaemon(true);
            return thread;
        });
    }
}
