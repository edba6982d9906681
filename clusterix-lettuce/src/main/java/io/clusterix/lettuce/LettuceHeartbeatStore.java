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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link io.clusterix.spi.HeartbeatStore} over Lettuce, standalone (also Sentinel and master/replica) or Redis
 * Cluster. Calls are sent with Lettuce's asynchronous API and never block a thread, neither the caller's nor a Netty
 * I/O thread.
 *
 * <p>Ownership: the client or connection belongs to the application, which closes it.
 * <ul>
 *   <li>Given a {@link RedisClient} or {@link RedisClusterClient}, the store opens one connection of its own
 *       ({@link StringCodec#UTF8}) when it is created, shares it between all calls, and closes it in
 *       {@link #close()}; the client stays open.</li>
 *   <li>Given a connection, the store shares it with the application and never closes it. The connection may use
 *       any codec: the store encodes its keys and arguments as UTF-8 itself. It must be an ordinary connection: not
 *       subscribed (Pub/Sub), not inside {@code MULTI}, and with auto-flush on.</li>
 * </ul>
 * Thread-safe, as Lettuce connections are.
 */
public final class LettuceHeartbeatStore extends ScriptedHeartbeatStore {

    private final BaseRedisAsyncCommands<?, ?> commands;
    private final StatefulConnection<?, ?> opened;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Creates a store that opens, and later closes, its own connection from {@code client}.
     *
     * @param client the application's client, standalone, Sentinel or master/replica; not closed by this store
     * @throws io.lettuce.core.RedisConnectionException if the connection cannot be opened
     */
    public LettuceHeartbeatStore(RedisClient client) {
        StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
        this.commands = connection.async();
        this.opened = connection;
    }

    /**
     * Creates a store that opens, and later closes, its own connection from {@code client}.
     *
     * @param client the application's Redis Cluster client; not closed by this store
     * @throws io.lettuce.core.RedisConnectionException if the connection cannot be opened
     */
    public LettuceHeartbeatStore(RedisClusterClient client) {
        StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8);
        this.commands = connection.async();
        this.opened = connection;
    }

    /**
     * Creates a store that shares the application's connection.
     *
     * @param connection the application's connection, any codec; never closed by this store
     */
    public LettuceHeartbeatStore(StatefulRedisConnection<?, ?> connection) {
        this.commands = connection.async();
        this.opened = null;
    }

    /**
     * Creates a store that shares the application's Redis Cluster connection.
     *
     * @param connection the application's connection, any codec; never closed by this store
     */
    public LettuceHeartbeatStore(StatefulRedisClusterConnection<?, ?> connection) {
        this.commands = connection.async();
        this.opened = null;
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
        CommandArgs<String, String> command = new CommandArgs<>(StringCodec.UTF8).add(script).add(keys.size())
                .addKeys(keys).addValues(args);
        @SuppressWarnings("unchecked") // the connection's own K and V are never used, see above
        BaseRedisAsyncCommands<String, String> utf8 = (BaseRedisAsyncCommands<String, String>) commands;
        return utf8.dispatch(type, new NestedMultiOutput<>(StringCodec.UTF8), command);
    }

    /** Closes the connection this store opened, if any; never the application's client or connection. */
    @Override
    public void close() {
        // Lettuce warns when a connection is closed twice; close() must be idempotent and quiet.
        if (opened != null && closed.compareAndSet(false, true)) {
            opened.close();
        }
    }
}
