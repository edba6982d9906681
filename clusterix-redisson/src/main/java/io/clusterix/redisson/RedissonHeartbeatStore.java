package io.clusterix.redisson;

import io.clusterix.spi.ScriptedHeartbeatStore;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A {@link io.clusterix.spi.HeartbeatStore} over a {@link RedissonClient}, in any of its modes (single server,
 * Sentinel, master/replica, Redis Cluster). Calls are sent with Redisson's asynchronous {@link RScript} API, with
 * {@link StringCodec}, whatever codec the client is configured with, and never block a thread.
 *
 * <p>Ownership: the client belongs to the application, which shuts it down. This store opens nothing itself, so
 * {@link #close()} does nothing. Thread-safe, as {@code RedissonClient} is.
 */
public final class RedissonHeartbeatStore extends ScriptedHeartbeatStore {

    private final RScript scripts;

    /**
     * Creates a store over the application's client.
     *
     * @param client the application's client; never shut down by this store
     */
    public RedissonHeartbeatStore(RedissonClient client) {
        this.scripts = client.getScript(StringCodec.INSTANCE);
    }

    @Override
    protected CompletionStage<?> evalSha(String sha1, List<String> keys, List<String> args) {
        return scripts.evalShaAsync(RScript.Mode.READ_WRITE, sha1, RScript.ReturnType.LIST,
                Collections.unmodifiableList(keys), args.toArray());
    }

    @Override
    protected CompletionStage<?> eval(String script, List<String> keys, List<String> args) {
        return scripts.evalAsync(RScript.Mode.READ_WRITE, script, RScript.ReturnType.LIST,
                Collections.unmodifiableList(keys), args.toArray());
    }
}
