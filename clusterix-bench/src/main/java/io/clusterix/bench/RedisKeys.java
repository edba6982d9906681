package io.clusterix.bench;

import io.clusterix.ClusterKeys;
import io.clusterix.fixture.RespConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * One cluster's keys in Redis, read and removed directly rather than through the engine: what they take in memory
 * ({@code MEMORY USAGE}), how long the history is, the version of the last membership change; and the {@code DEL}
 * that cleans up after a run and after its JIT warm-up.
 */
final class RedisKeys {
    private RedisKeys() {
    }

    /**
     * What a cluster's keys take in Redis.
     *
     * @param keysBytes      all its keys, bytes
     * @param historyBytes   the history of membership changes, bytes
     * @param metadataBytes  the members' metadata, bytes
     * @param historyEntries changes in the history
     */
    record Footprint(long keysBytes, long historyBytes, long metadataBytes, long historyEntries) {
    }

    /** @return what the cluster's keys take now */
    static Footprint footprint(RespConnection info, ClusterKeys keys) {
        long keysBytes = 0;
        for (String key : keys.all()) {
            keysBytes += memoryUsage(info, key);
        }
        long historyBytes = memoryUsage(info, keys.history());
        long metadataBytes = memoryUsage(info, keys.metadata());
        long historyEntries = info.integer("ZCARD", keys.history());
        return new Footprint(keysBytes, historyBytes, metadataBytes, historyEntries);
    }

    /** @return the version of the cluster's last membership change, as the clock hash holds it; 0 if none */
    static long clockVersion(RespConnection info, ClusterKeys keys) {
        Object reply = info.call("HGET", keys.clock(), "version");
        return reply == null ? 0 : Long.parseLong(reply.toString());
    }

    /** @return the {@code DEL} of every key of the cluster with this prefix */
    static String[] delete(String keyPrefix) {
        List<String> del = new ArrayList<>();
        del.add("DEL");
        del.addAll(ClusterKeys.of(keyPrefix, "").all());
        return del.toArray(String[]::new);
    }

    /** @return bytes of one key ({@code MEMORY USAGE key SAMPLES 0}: every element counted), 0 if it does not exist */
    private static long memoryUsage(RespConnection info, String key) {
        Object reply = info.call("MEMORY", "USAGE", key, "SAMPLES", "0");
        return reply instanceof Long bytes ? bytes : 0;
    }
}
