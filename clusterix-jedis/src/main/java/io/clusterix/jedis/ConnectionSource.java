package io.clusterix.jedis;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.util.Pool;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a {@link CallMultiplexer} sends: the application's Jedis client, which it neither opens nor closes. Both
 * methods block until Redis answers and are called from several sender threads at once.
 */
interface ConnectionSource {

    /**
     * Runs one command on a connection: the client itself, or one borrowed from the pool for the command.
     *
     * @param command sends the command and waits for its reply
     * @param <T>     the reply's type
     * @return the reply
     */
    <T> T alone(Function<? super JedisCommands, T> command);

    /**
     * Runs {@code batch} with a pipeline on one connection, closed (returned to its pool) afterwards.
     *
     * @param batch queues commands on the pipeline and syncs it
     * @throws NoPipelines if this client cannot pipeline, or not so that redirections are followed; nothing was sent
     */
    void pipelined(Consumer<? super AbstractPipeline> batch);

    /**
     * @param client a standalone, Sentinel or Cluster client; its pipelines are used unless they are
     *               {@link ClusterPipeline}s (Jedis follows {@code MOVED}/{@code ASK} and renews its slot map only for
     *               single commands) or it cannot open any (a {@code UnifiedJedis} over a single connection)
     * @return the client as a source of connections
     */
    static ConnectionSource of(UnifiedJedis client) {
        Objects.requireNonNull(client, "client");
        return new ConnectionSource() {
            @Override
            public <T> T alone(Function<? super JedisCommands, T> command) {
                return command.apply(client);
            }

            @Override
            public void pipelined(Consumer<? super AbstractPipeline> batch) {
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
    }

    /**
     * @param pool a pool of connections to one server (e.g. {@code JedisPool}, or {@code JedisSentinelPool}: to the
     *             current master)
     * @return the pool as a source of connections: each command or pipeline borrows one
     */
    static ConnectionSource of(Pool<Jedis> pool) {
        Objects.requireNonNull(pool, "pool");
        return new ConnectionSource() {
            @Override
            public <T> T alone(Function<? super JedisCommands, T> command) {
                // Jedis.close() returns the connection to the pool, or discards it if an I/O error broke it.
                try (Jedis jedis = pool.getResource()) {
                    return command.apply(jedis);
                }
            }

            @Override
            public void pipelined(Consumer<? super AbstractPipeline> batch) {
                try (Jedis jedis = pool.getResource()) {
                    batch.accept(jedis.pipelined());
                }
            }
        };
    }

    /** The client cannot open a pipeline that suits the multiplexer; nothing was sent. */
    final class NoPipelines extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoPipelines(Throwable cause) {
            super(cause);
        }
    }
}
