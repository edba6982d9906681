package io.clusterix.lettuce;

import io.clusterix.spi.ScriptedHeartbeatStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A {@link io.clusterix.spi.HeartbeatStore} over Lettuce, standalone (also Sentinel and master/replica) or Redis
 * Cluster. Calls are sent with Lettuce's asynchronous API and never block a thread, neither the caller's nor a Netty
 * I/O thread.
 *
 * <p>Ownership: the client or connection belongs to the application, which closes it.
 * <ul>
 *   <li>Given a {@link RedisClient} or {@link RedisClusterClient}, the store opens one connection of its own
 *       ({@link StringCodec#UTF8}) at its first call, off the caller's thread, shares it between all calls (Lettuce
 *       reconnects it after a failure; a failed first attempt is repeated at the next call), and closes it in
 *       {@link #close()}; the client stays open.</li>
 *   <li>Given a connection, the store shares it with the application and never closes it. The connection may use
 *       any codec: the store encodes its keys and arguments as UTF-8 itself. It must be an ordinary connection: not
 *       subscribed (Pub/Sub), not inside {@code MULTI}, and with auto-flush on.</li>
 * </ul>
 * Thread-safe, as Lettuce connections are.
 */
public final class LettuceHeartbeatStore extends ScriptedHeartbeatStore {

    /** Opens connections for clients: RedisClient.connect blocks, and must block neither a caller nor Netty. */
    private static final Executor CONNECTOR = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "clusterix-lettuce-connect");
        thread.setDaemon(true);
        return thread;
    });

    /** Opens this store's own connection; null when the application handed in its connection. */
    private final Supplier<CompletableFuture<? extends StatefulConnection<?, ?>>> connector;
    private final Object lock = new Object();
    private CompletableFuture<? extends StatefulConnection<?, ?>> connection;
    private boolean closed;

    /**
     * Creates a store that opens, at its first call, and later closes its own connection from {@code client}. A
     * failed attempt (Redis unreachable, wrong password) fails that call with the cause; the next call tries again.
     *
     * @param client the application's client, standalone, Sentinel or master/replica; not closed by this store
     */
    public LettuceHeartbeatStore(RedisClient client) {
        Objects.requireNonNull(client, "client");
        this.connector = () -> CompletableFuture.supplyAsync(() -> client.connect(StringCodec.UTF8), CONNECTOR);
    }

    /**
     * Creates a store that opens, at its first call, and later closes its own connection from {@code client}.
     *
     * @param client the application's Redis Cluster client; not closed by this store
     */
    public LettuceHeartbeatStore(RedisClusterClient client) {
        Objects.requireNonNull(client, "client");
        // connectAsync needs the slot map and, unlike connect(), does not load it: load (or refresh) it first, off
        // the caller's thread too.
        this.connector = () -> client.refreshPartitionsAsync().toCompletableFuture()
                .thenCompose(loaded -> client.connectAsync(StringCodec.UTF8));
    }

    /**
     * Creates a store that shares the application's connection.
     *
     * @param connection the application's connection, any codec; never closed by this store
     */
    public LettuceHeartbeatStore(StatefulRedisConnection<?, ?> connection) {
        this.connector = null;
        this.connection = CompletableFuture.completedFuture(Objects.requireNonNull(connection, "connection"));
    }

    /**
     * Creates a store that shares the application's Redis Cluster connection.
     *
     * @param connection the application's connection, any codec; never closed by this store
     */
    public LettuceHeartbeatStore(StatefulRedisClusterConnection<?, ?> connection) {
        this.connector = null;
        this.connection = CompletableFuture.completedFuture(Objects.requireNonNull(connection, "connection"));
    }

    private CompletableFuture<? extends StatefulConnection<?, ?>> connection() {
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the clusterix store was closed"));
            }
            if (connection == null || connection.isCompletedExceptionally()) {
                connection = connector.get();
            }
            return connection;
        }
    }

    @Override
    protected CompletionStage<?> evalSha(String sha1, List<String> keys, List<String> args) {
        return send(CommandType.EVALSHA, sha1, keys, args);
    }

    @Override
    protected CompletionStage<?> eval(String script, List<String> keys, List<String> args) {
        return send(CommandType.EVAL, script, keys, args);
    }

    /**
     * Dispatches the command with its own UTF-8 codec, whatever the connection's: Lettuce encodes a command with the
     * codec of its arguments and decodes the reply with that of its output, and a cluster connection routes it by
     * its first key, encoded the same way. All our keys share one hash slot.
     */
    private CompletionStage<?> send(CommandType type, String script, List<String> keys, List<String> args) {
        return connection().thenCompose(opened -> {
            CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8).add(script).add(keys.size())
                    .addKeys(keys).addValues(args);
            return asyncUtf8(opened).dispatch(type, new NestedMultiOutput<>(StringCodec.UTF8), command);
        });
    }

    @SuppressWarnings("unchecked") // the connection's own K and V are never used, see send
    private static BaseRedisAsyncCommands<String, String> asyncUtf8(StatefulConnection<?, ?> connection) {
        if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            return (BaseRedisAsyncCommands<String, String>) cluster.async();
        }
        return (BaseRedisAsyncCommands<String, String>) ((StatefulRedisConnection<?, ?>) connection).async();
    }

    /** Closes the connection this store opened, if any; never the application's client or connection. */
    @Override
    public void close() {
        CompletableFuture<? extends StatefulConnection<?, ?>> opened;
        synchronized (lock) {
            // Lettuce warns when a connection is closed twice; close() must be idempotent and quiet.
            if (closed || connector == null) {
                closed = true;
                return;
            }
            closed = true;
            opened = connection;
        }
        if (opened != null) {
            opened.thenAccept(StatefulConnection::close);
        }
    }
}
