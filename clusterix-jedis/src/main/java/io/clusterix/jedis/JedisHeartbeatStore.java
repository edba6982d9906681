package io.clusterix.jedis;

import io.clusterix.spi.ScriptedHeartbeatStore;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.ScriptingKeyCommands;
import redis.clients.jedis.util.Pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link io.clusterix.spi.HeartbeatStore} over a Jedis client: a {@link UnifiedJedis} (standalone, Sentinel or
 * Cluster, e.g. {@code RedisClient}, {@code RedisSentinelClient}, {@code RedisClusterClient}, {@code JedisCluster})
 * or a {@link Pool} of {@link Jedis} connections ({@code JedisPool}, {@code JedisSentinelPool}).
 *
 * <p>Jedis blocks the calling thread for each command, so calls never run on the caller's thread: they are queued,
 * and at most {@value #DEFAULT_SENDERS} sender tasks (or the number given to the constructor) drain the queue on an
 * executor, each sending all the calls queued at that moment as one Jedis pipeline on one connection (one write, one
 * round trip) and completing their futures in order. One node alone sends pipelines of one call; the many
 * {@code Clusterix} instances of a multi-tenant JVM share a few connections and threads instead of blocking a thread
 * per call. The executor is by default a pool of daemon threads named {@code clusterix-jedis-N} that all stores of the
 * JVM share (a thread per active sender, released when idle), or the one given to the constructor.
 *
 * <p>Cluster clients ({@code RedisClusterClient}, {@code JedisCluster}, or any {@code UnifiedJedis} whose pipelines
 * are {@code ClusterPipeline}s) are not pipelined: Jedis follows {@code MOVED}/{@code ASK} redirections and renews its
 * slot map only for single commands, which a failover needs. Their calls, and those of a client that cannot pipeline
 * at all (a {@code UnifiedJedis} over a single {@code Connection}), run one per executor task, independently.
 *
 * <p>Ownership: the client, the pool and the executor belong to the application, which closes them. This store opens
 * nothing itself, so {@link #close()} does nothing. Thread-safe, as the Jedis clients it accepts are.
 */
public final class JedisHeartbeatStore extends ScriptedHeartbeatStore {

    /** Sender tasks (so connections in use and threads) per store, unless the constructor is given another number. */
    public static final int DEFAULT_SENDERS = 4;
    /** The most calls in one pipeline. */
    private static final int MAX_BATCH = 512;

    private final Connections connections;
    private final Executor executor;
    private final int maxSenders;
    private final Queue<Call> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger senders = new AtomicInteger();
    private volatile boolean pipelining = true;

    /**
     * Creates a store that runs its calls on the shared {@code clusterix-jedis-N} threads.
     *
     * @param client the application's client; not closed by this store
     */
    public JedisHeartbeatStore(UnifiedJedis client) {
        this(client, SharedExecutor.INSTANCE, DEFAULT_SENDERS);
    }

    /**
     * Creates a store that runs its senders, each of which blocks a thread until Redis answers, on {@code executor}.
     *
     * @param client   the application's client; not closed by this store
     * @param executor where the blocking Jedis calls run; not shut down by this store
     * @param senders  the most pipelines in flight at once (each holds one connection of the client and one thread of
     *                 the executor while it waits for Redis); at least 1
     */
    public JedisHeartbeatStore(UnifiedJedis client, Executor executor, int senders) {
        Objects.requireNonNull(client, "client");
        this.connections = new Connections() {
            @Override
            public Object run(Function<ScriptingKeyCommands, Object> command) {
                return command.apply(client);
            }

            @Override
            public void pipeline(Consumer<AbstractPipeline> batch) {
                AbstractPipeline opened;
                try {
                    opened = client.pipelined();
                } catch (IllegalStateException | UnsupportedOperationException e) {
                    throw new NoPipelines(e);
                }
                if (opened instanceof ClusterPipeline) {
                    opened.close();
                    throw new NoPipelines(null);
                }
                try (AbstractPipeline pipeline = opened) {
                    batch.accept(pipeline);
                }
            }
        };
        this.executor = Objects.requireNonNull(executor, "executor");
        this.maxSenders = checkSenders(senders);
    }

    /**
     * Creates a store that borrows a connection from {@code pool} for each pipeline, on the shared
     * {@code clusterix-jedis-N} threads.
     *
     * @param pool the application's pool, e.g. a {@code JedisPool} or {@code JedisSentinelPool}; not closed by this
     *             store
     */
    public JedisHeartbeatStore(Pool<Jedis> pool) {
        this(pool, SharedExecutor.INSTANCE, DEFAULT_SENDERS);
    }

    /**
     * Creates a store that borrows a connection from {@code pool} for each pipeline, on {@code executor}.
     *
     * @param pool     the application's pool; not closed by this store
     * @param executor where the blocking Jedis calls run; not shut down by this store
     * @param senders  the most pipelines in flight at once (each holds one connection of the pool and one thread of
     *                 the executor while it waits for Redis); at least 1
     */
    public JedisHeartbeatStore(Pool<Jedis> pool, Executor executor, int senders) {
        Objects.requireNonNull(pool, "pool");
        this.connections = new Connections() {
            @Override
            public Object run(Function<ScriptingKeyCommands, Object> command) {
                // Jedis.close() returns the connection to the pool, or discards it if an I/O error broke it.
                try (Jedis jedis = pool.getResource()) {
                    return command.apply(jedis);
                }
            }

            @Override
            public void pipeline(Consumer<AbstractPipeline> batch) {
                try (Jedis jedis = pool.getResource()) {
                    batch.accept(jedis.pipelined());
                }
            }
        };
        this.executor = Objects.requireNonNull(executor, "executor");
        this.maxSenders = checkSenders(senders);
    }

    private static int checkSenders(int senders) {
        if (senders < 1) {
            throw new IllegalArgumentException("senders must be at least 1, was " + senders);
        }
        return senders;
    }

    @Override
    protected CompletionStage<?> evalSha(String sha1, List<String> keys, List<String> args) {
        return submit(new Call(sha1, null, keys, args));
    }

    @Override
    protected CompletionStage<?> eval(String script, List<String> keys, List<String> args) {
        return submit(new Call(null, script, keys, args));
    }

    private CompletableFuture<Object> submit(Call call) {
        if (!pipelining) {
            runAlone(call);
            return call.result;
        }
        queue.add(call);
        startSender();
        return call.result;
    }

    /** Runs one call as a task of its own on the executor (clients that are not pipelined). */
    private void runAlone(Call call) {
        try {
            executor.execute(() -> complete(call, () -> connections.run(call::sendOn)));
        } catch (RuntimeException rejected) {
            call.result.completeExceptionally(rejected);
        }
    }

    private void startSender() {
        for (int active = senders.get(); active < maxSenders; active = senders.get()) {
            if (senders.compareAndSet(active, active + 1)) {
                try {
                    executor.execute(this::drain);
                } catch (RuntimeException rejected) {
                    senders.decrementAndGet();
                    failQueued(rejected);
                }
                return;
            }
        }
        // Every sender is busy: one of them takes this call with its next batch.
    }

    private void drain() {
        try {
            List<Call> batch = new ArrayList<>();
            for (;;) {
                // Take what is queued now (another sender may take some of it meanwhile), then send it.
                Call call = queue.poll();
                if (call != null) {
                    batch.add(call);
                    if (batch.size() < MAX_BATCH) {
                        continue;
                    }
                }
                if (batch.isEmpty()) {
                    break;
                }
                send(batch);
                batch = new ArrayList<>();
            }
        } finally {
            senders.decrementAndGet();
            // A call queued after this sender's last look, while every sender was still counted as busy.
            if (!queue.isEmpty()) {
                startSender();
            }
        }
    }

    private void send(List<Call> batch) {
        if (pipelining) {
            try {
                connections.pipeline(pipeline -> {
                    List<Response<Object>> responses = new ArrayList<>(batch.size());
                    for (Call call : batch) {
                        responses.add(call.queueOn(pipeline));
                    }
                    pipeline.sync();
                    for (int i = 0; i < batch.size(); i++) {
                        complete(batch.get(i), responses.get(i)::get);
                    }
                });
            } catch (NoPipelines cannotPipeline) {
                // Nothing was sent: from now on, every call runs alone (see the class comment).
                pipelining = false;
                batch.forEach(this::runAlone);
                return;
            } catch (RuntimeException e) {
                // The connection failed (or could not be had): every call of the batch failed.
                batch.forEach(call -> call.result.completeExceptionally(e));
            }
        } else {
            batch.forEach(this::runAlone);
        }
    }

    private static void complete(Call call, Supplier<Object> reply) {
        try {
            call.result.complete(reply.get());
        } catch (RuntimeException e) {
            call.result.completeExceptionally(e);
        }
    }

    private void failQueued(RuntimeException cause) {
        for (Call call = queue.poll(); call != null; call = queue.poll()) {
            call.result.completeExceptionally(cause);
        }
    }

    /** One EVALSHA (sha1 set) or EVAL (script set) waiting for its reply. */
    private static final class Call {
        final String sha1;
        final String script;
        final List<String> keys;
        final List<String> args;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Call(String sha1, String script, List<String> keys, List<String> args) {
            this.sha1 = sha1;
            this.script = script;
            this.keys = keys;
            this.args = args;
        }

        /** Sends this call on a connection and waits for the reply. */
        Object sendOn(ScriptingKeyCommands connection) {
            return sha1 != null ? connection.evalsha(sha1, keys, args) : connection.eval(script, keys, args);
        }

        /** Adds this call to a pipeline; the reply comes with the pipeline's {@code sync()}. */
        Response<Object> queueOn(AbstractPipeline pipeline) {
            return sha1 != null ? pipeline.evalsha(sha1, keys, args) : pipeline.eval(script, keys, args);
        }
    }

    /** The client cannot open a pipeline; nothing was sent. */
    private static final class NoPipelines extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoPipelines(Throwable cause) {
            super(cause);
        }
    }

    /** Runs commands on a connection: the client itself, or one borrowed from the pool for the command or batch. */
    private interface Connections {
        Object run(Function<ScriptingKeyCommands, Object> command);

        /** Runs {@code batch} with a pipeline on one connection, closed (returned to its pool) afterwards. */
        void pipeline(Consumer<AbstractPipeline> batch);
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
