package io.clusterix.cli;

import io.clusterix.spi.ScriptedHeartbeatStore;
import io.lettuce.core.RedisException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of the commands clusterix needs the connected user may run on the cluster's keys, found by running each one
 * in a form that writes nothing: on a probe key of the cluster's hash tag that never exists ({@code SET ... XX},
 * {@code ZADD ... XX} and deletes of nothing are no-ops), {@code EVALSHA} of an unknown script ({@code NOSCRIPT}
 * means allowed). {@code HSET} has no such form: it runs inside a script that deletes the probe field in the same
 * atomic step. Redis checks the ACL before it looks at the data, so {@code NOPERM} is the one answer that means
 * denied. A user that may do more than clusterix needs (here: {@code DEL}, or keys outside its pattern) is told so.
 */
final class AclProbe {
    /** What clusterix needs, in the order of the README's ACL line. */
    static final List<String> NEEDED = List.of("evalsha", "eval", "script|load", "time", "type", "get", "set", "zadd",
            "zrem", "zscore", "zcard", "zrange", "zrangebyscore", "hget", "hmget", "hgetall", "hset", "hdel", "hlen",
            "ping");
    /** What a Redis Cluster client needs besides: the slot map. */
    static final List<String> CLUSTER = List.of("cluster|slots", "cluster|nodes", "info");

    private static final String HSET_PROBE = "local r = redis.pcall('HSET', KEYS[1], 'doctor', '1')"
            + " if type(r) == 'table' and r.err then return r end redis.call('HDEL', KEYS[1], 'doctor') return 'OK'";

    private final RedisConnection redis;
    private final String probe;

    AclProbe(RedisConnection redis) {
        this.redis = redis;
        this.probe = redis.keys().hashTag() + ":doctor-probe";
    }

    /** @return each needed command (and the Cluster ones on Redis Cluster) with whether the user may run it */
    Map<String, Boolean> probe() {
        Map<String, Boolean> allowed = new LinkedHashMap<>();
        attempt("evalsha", allowed, () -> redis.call("EVALSHA", "0000000000000000000000000000000000000000", "1", probe));
        attempt("eval", allowed, () -> redis.call("EVAL", "return 1", "1", probe));
        attempt("script|load", allowed, () -> redis.call("SCRIPT", "LOAD", ScriptedHeartbeatStore.scriptText()));
        attempt("time", allowed, () -> redis.keyServer().time());
        attempt("type", allowed, () -> redis.call("TYPE", probe));
        attempt("get", allowed, () -> redis.call("GET", probe));
        attempt("set", allowed, () -> redis.call("SET", probe, "x", "XX"));
        attempt("zadd", allowed, () -> redis.call("ZADD", probe, "XX", "0", "m"));
        attempt("zrem", allowed, () -> redis.call("ZREM", probe, "m"));
        attempt("zscore", allowed, () -> redis.call("ZSCORE", probe, "m"));
        attempt("zcard", allowed, () -> redis.call("ZCARD", probe));
        attempt("zrange", allowed, () -> redis.call("ZRANGE", probe, "0", "0"));
        attempt("zrangebyscore", allowed, () -> redis.call("ZRANGEBYSCORE", probe, "0", "0"));
        attempt("hget", allowed, () -> redis.call("HGET", probe, "f"));
        attempt("hmget", allowed, () -> redis.call("HMGET", probe, "f"));
        attempt("hgetall", allowed, () -> redis.call("HGETALL", probe));
        attempt("hdel", allowed, () -> redis.call("HDEL", probe, "f"));
        if (allowed.get("eval") && allowed.get("hdel")) {
            attempt("hset", allowed, () -> redis.call("EVAL", HSET_PROBE, "1", probe));
        }
        attempt("hlen", allowed, () -> redis.call("HLEN", probe));
        attempt("ping", allowed, () -> redis.keyServer().ping());
        if (redis.mode() == RedisConnection.Mode.CLUSTER) {
            attempt("cluster|slots", allowed, () -> redis.keyServer().clusterSlots());
            attempt("cluster|nodes", allowed, () -> redis.keyServer().clusterNodes());
            attempt("info", allowed, () -> redis.keyServer().info("server"));
        }
        return allowed;
    }

    /** @return rights beyond what clusterix needs, each said in words; empty for a least-privilege user */
    List<String> extra() {
        List<String> extra = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        attempt("del", seen, () -> redis.call("DEL", probe));
        if (seen.get("del")) {
            extra.add("may run DEL (and likely more commands) on the cluster's keys");
        }
        attempt("outside", seen, () -> redis.keyServer().get("clusterix-doctor-outside-the-key-pattern"));
        if (seen.get("outside")) {
            extra.add("may read keys outside ~" + pattern());
        }
        return extra;
    }

    /** @return the ACL pattern of the cluster's keys, braces literal */
    String pattern() {
        return "{" + redis.keys().keyPrefix() + "*";
    }

    /**
     * @param user the user to grant, or null for "clusterix"
     * @return the README's least-privilege line for this key prefix and topology
     */
    String setUserLine(String user) {
        StringBuilder line = new StringBuilder("ACL SETUSER " + (user == null ? "clusterix" : user)
                + " on >password resetkeys ~" + pattern() + " resetchannels -@all");
        NEEDED.forEach(command -> line.append(" +").append(command));
        if (redis.mode() == RedisConnection.Mode.CLUSTER) {
            CLUSTER.forEach(command -> line.append(" +").append(command));
        }
        return line.toString();
    }

    private static void attempt(String command, Map<String, Boolean> allowed, Runnable call) {
        try {
            call.run();
            allowed.put(command, true);
        } catch (RedisException e) {
            allowed.put(command, !denied(Failures.messages(e)));
        }
    }

    static boolean denied(String message) {
        return message.contains("NOPERM") || message.contains("can't run this command")
                || message.contains("no permissions");
    }

}
