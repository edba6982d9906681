package io.clusterix.jedis;

import io.clusterix.spi.ScriptedHeartbeatStore;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.util.Pool;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

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
 * at all (a {@code UnifiedJedis} over a single {@code Connection}), take the same senders, each sending one call at a
 * time: however many calls are queued and however slow the cluster, a store blocks at most {@code senders} threads
 * and connections. The calls of clusterix clusters whose keys live on different masters share those senders, so a
 * master that stops answering holds senders until Jedis' retries for it end, and delays calls to the other masters
 * meanwhile: give a store used for many clusters of a Redis Cluster more senders.
 *
 * <p>A call that clusterix gave up on while it waited in the queue (no reply within {@code timeout}) is not sent when
 * its turn comes, and is counted: {@link #abandonedCalls()}. The queue holds at most {@value #QUEUE_CAPACITY} calls;
 * one more fails at once with a {@link io.clusterix.ClusterixException} saying that Redis answers too slowly, and is
 * counted: {@link #rejectedCalls()}.
 *
 * <p>Ownership: the client, the pool and the executor belong to the application, which closes them. This store opens
 * nothing itself, so {@link #close()} does nothing. Thread-safe, as the Jedis clients it accepts are.
 */
public final class JedisHeartbeatStore extends ScriptedHeartbeatStore {

    /** Sender tasks (so connections in use and threads) per store, unless the constructor is given another number. */
    public static final int DEFAULT_SENDERS = 4;
    /**
     * The most calls a store queues for its senders. A {@code Clusterix} instance has one heartbeat in flight at a
     * time, so a store shared by 10,000 instances (the scale docs/PERFORMANCE.md measures, with one store) does not
     * fill it while Redis keeps up; and 10,000 calls are some 20 full pipelines, five per default sender, so even the
     * last call waits a few round trips of a Redis that answers. A longer queue would only hold calls that time out.
     */
    public static final int QUEUE_CAPACITY = 10_000;

    private final CallMultiplexer calls;

    /**
     * Creates a store that runs its calls on the shared {@code clusterix-jedis-N} threads.
     *
     * @param client the application's client; not closed by this store
     */
    public JedisHeartbeatStore(UnifiedJedis client) {
        this(client, CallMultiplexer.sharedExecutor(), DEFAULT_SENDERS);
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
        this.calls = new CallMultiplexer(ConnectionSource.of(client), executor, senders, QUEUE_CAPACITY);
    }

    /**
     * Creates a store that borrows a connection from {@code pool} for each pipeline, on the shared
     * {@code clusterix-jedis-N} threads.
     *
     * @param pool the application's pool, e.g. a {@code JedisPool} or {@code JedisSentinelPool}; not closed by this
     *             store
     */
    public JedisHeartbeatStore(Pool<Jedis> pool) {
        this(pool, CallMultiplexer.sharedExecutor(), DEFAULT_SENDERS);
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
        this.calls = new CallMultiplexer(ConnectionSource.of(pool), executor, senders, QUEUE_CAPACITY);
    }

    /**
     * Calls abandoned in the queue: clusterix gave up on them (no reply within the cluster's {@code timeout}, or
     * cancelled) before a sender took them, because Redis answered the calls ahead of them too slowly; they were never
     * sent. A steady rise means Redis, or the network to it, cannot keep up with this store's load.
     *
     * @return the calls abandoned since this store was created
     */
    public long abandonedCalls() {
        return calls.abandonedCalls();
    }

    /**
     * Calls refused because {@value #QUEUE_CAPACITY} calls were queued already: Redis answered too slowly for the
     * senders to keep up. Each failed at once, unsent, with a {@link io.clusterix.ClusterixException} saying so.
     *
     * @return the calls refused since this store was created
     */
    public long rejectedCalls() {
        return calls.rejectedCalls();
    }

    @Override
    protected CompletionStage<?> evalSha(String sha1, List<String> keys, List<String> args) {
        return calls.submit(new Script(sha1, null, keys, args));
    }

    @Override
    protected CompletionStage<?> eval(String script, List<String> keys, List<String> args) {
        return calls.submit(new Script(null, script, keys, args));
    }

    /** One EVALSHA (sha1 set) or EVAL (script set). */
    private record Script(String sha1, String script, List<String> keys, List<String> args)
            implements CallMultiplexer.Call<Object> {
        @Override
        public Object sendAlone(JedisCommands connection) {
            return sha1 != null ? connection.evalsha(sha1, keys, args) : connection.eval(script, keys, args);
        }

        @Override
        public Response<Object> queueOn(AbstractPipeline pipeline) {
            return sha1 != null ? pipeline.evalsha(sha1, keys, args) : pipeline.eval(script, keys, args);
        }
    }
}
