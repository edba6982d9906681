package io.clusterix.cli;

import io.clusterix.ClusterKeys;
import io.clusterix.spi.ScriptedHeartbeatStore;
import io.lettuce.core.RedisException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The checks of {@code clusterix doctor} other than the ACL's ({@link AclProbe}): the server and its topology, the
 * script, the keys' types, the round trip against {@code timeout}, this host's clock, persistence and replication.
 * Each says what it found and, when something is wrong, what to do. Reads only.
 */
final class DoctorChecks {
    private static final List<String> EXPECTED = List.of("zset", "hash", "string", "zset", "hash", "hash", "zset",
            "hash");

    private final RedisConnection redis;
    private final long timeout;
    private final long commandTimeout;

    DoctorChecks(RedisConnection redis, long timeout, long commandTimeout) {
        this.redis = redis;
        this.timeout = timeout;
        this.commandTimeout = commandTimeout;
    }

    Finding server() {
        Optional<Map<String, String>> info = info("server");
        String version = info.map(i -> i.get("redis_version")).orElse("?");
        String where = switch (redis.mode()) {
            case STANDALONE -> "standalone, at " + redis.keyServerAddress();
            case SENTINEL -> "Sentinel: " + redis.where() + ", master at " + redis.keyServerAddress();
            case CLUSTER -> "Redis Cluster: the keys of " + redis.keys() + " are in slot " + redis.slot()
                    + ", master " + redis.keyServerAddress();
        };
        if (info.isEmpty()) {
            return Finding.warn("server", "version unknown (INFO is denied for this user: run doctor as an admin"
                    + " user to see it), " + where);
        }
        String mode = info.get().getOrDefault("redis_mode", "?");
        if (redis.mode() == RedisConnection.Mode.STANDALONE && mode.equals("cluster")) {
            return Finding.fail("server", "Redis " + version + " is a Redis Cluster node: connect with --cluster"
                    + " host:port so that commands follow the slots");
        }
        String[] parts = version.split("\\.");
        boolean old = parts.length > 1 && (Integer.parseInt(parts[0]) < 6
                || Integer.parseInt(parts[0]) == 6 && Integer.parseInt(parts[1]) < 2);
        String text = "Redis " + version + " (redis_mode " + mode + "), " + where;
        return old ? Finding.warn("server", text + "; clusterix is tested on Redis 6.2 and 7: upgrade")
                : Finding.ok("server", text);
    }

    Finding script() {
        ScriptedHeartbeatStore store = redis.store();
        String loaded;
        try {
            String sha = String.valueOf(redis.call("SCRIPT", "LOAD", ScriptedHeartbeatStore.scriptText()).get(0));
            loaded = sha.equals(ScriptedHeartbeatStore.scriptSha1()) ? "loads (SHA-1 " + sha + ")"
                    : "loads under SHA-1 " + sha + ", not " + ScriptedHeartbeatStore.scriptSha1();
        } catch (RedisException e) {
            loaded = "SCRIPT LOAD refused (" + firstLine(e) + "), EVAL loads it";
        }
        try {
            int live = store.nodes(redis.keys(), java.time.Duration.ofMillis(timeout))
                    .get(commandTimeout * 2, TimeUnit.MILLISECONDS).size();
            return Finding.ok("script", "clusterix.lua " + loaded + " and runs: " + live + " live node"
                    + (live == 1 ? "" : "s") + " by its 'nodes' operation");
        } catch (ExecutionException e) {
            return Finding.fail("script", "clusterix.lua " + loaded + " but does not run: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return Finding.fail("script", "clusterix.lua " + loaded + " but got no reply in time: is Redis busy?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Finding.fail("script", "interrupted");
        }
    }

    Finding keys() {
        ClusterKeys keys = redis.keys();
        List<String> wrong = new ArrayList<>();
        int absent = 0;
        try {
            for (int i = 0; i < EXPECTED.size(); i++) {
                String key = keys.all().get(i);
                String type = redis.commands().type(key);
                if ("none".equals(type)) {
                    absent++;
                } else if (!EXPECTED.get(i).equals(type)) {
                    wrong.add(key + " is a " + type + ", clusterix expects a " + EXPECTED.get(i));
                }
            }
        } catch (RedisException e) {
            return Finding.warn("keys", "cannot read their types (" + firstLine(e) + ")");
        }
        if (!wrong.isEmpty()) {
            return Finding.fail("keys", String.join("; ", wrong) + ". Another program uses these keys: give"
                    + " clusterix another keyPrefix or id, or delete them");
        }
        if (absent == EXPECTED.size()) {
            return Finding.warn("keys", "none of the 8 keys of " + keys + " exists: no node joined this cluster"
                    + " (check --key-prefix and --id), or Redis lost them");
        }
        return Finding.ok("keys", (EXPECTED.size() - absent) + " of 8 keys of " + keys + " exist, each of its"
                + " type" + (absent > 0 ? " (" + absent + " not written yet)" : ""));
    }

    Finding latency(long durationMillis) {
        List<Double> samples = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis);
        try {
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                redis.keyServer().ping();
                samples.add((System.nanoTime() - start) / 1e6);
                Thread.sleep(10);
            }
        } catch (RedisException e) {
            return Finding.fail("latency", "PING failed (" + firstLine(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Finding.warn("latency", "no sample");
        }
        double p50 = sorted[(int) Math.floor((sorted.length - 1) * 0.50)];
        double p99 = sorted[(int) Math.floor((sorted.length - 1) * 0.99)];
        String text = String.format("round trip (PING) over %.1f s, %d samples: p50 %.2f ms, p99 %.2f ms, max %.2f"
                + " ms; timeout %d ms", durationMillis / 1000.0, sorted.length, p50, p99,
                Arrays.stream(sorted).max().orElse(0), timeout);
        if (p99 >= timeout) {
            return Finding.fail("latency", text + ": heartbeats would miss the timeout, nodes would be declared dead."
                    + " Fix the network or Redis' load, or raise timeout");
        }
        return p99 > timeout / 4.0 ? Finding.warn("latency", text + ": under a quarter of the timeout is safe")
                : Finding.ok("latency", text);
    }

    Finding clock() {
        try {
            long before = System.currentTimeMillis();
            long server = ClusterState.serverTime(redis);
            long after = System.currentTimeMillis();
            long offset = (before + after) / 2 - server;
            String text = "this host's clock is " + Math.abs(offset) + " ms " + (offset >= 0 ? "ahead of" : "behind")
                    + " Redis TIME (±" + Math.max(1, (after - before) / 2) + " ms); clusterix uses only Redis time";
            return Math.abs(offset) > 1000 ? Finding.warn("clock", text + ", so this harms clusterix nothing; fix NTP"
                    + " on this host for the rest") : Finding.ok("clock", text);
        } catch (RedisException e) {
            return Finding.fail("clock", "TIME failed (" + firstLine(e) + ")");
        }
    }

    Finding persistence() {
        Optional<Map<String, String>> config = config("appendonly", "appendfsync", "save");
        if (config.isEmpty()) {
            return Finding.warn("persistence", "unknown (CONFIG GET is denied for this user: run doctor as an admin"
                    + " user). Without persistence a restart loses every clusterix key; clusterix heals");
        }
        Map<String, String> c = config.get();
        String save = c.getOrDefault("save", "").strip();
        if ("yes".equals(c.get("appendonly"))) {
            String fsync = c.getOrDefault("appendfsync", "?");
            return Finding.ok("persistence", "AOF on, appendfsync " + fsync + ": a crash of Redis loses "
                    + ("always".equals(fsync) ? "nothing acknowledged" : "up to about a second of changes"));
        }
        String text = save.isEmpty() ? "none (no AOF, no RDB save): a restart of Redis loses every clusterix key"
                : "RDB snapshots only (save '" + save + "'): a restart of Redis loses the changes since the last one";
        return Finding.warn("persistence", text + ". clusterix heals (live nodes write themselves again; a node"
                + " that died meanwhile is not reported); AOF (appendonly yes) loses the least");
    }

    Finding replication() {
        Optional<Map<String, String>> info = info("replication");
        if (info.isEmpty()) {
            return Finding.warn("replication", "unknown (INFO is denied for this user: run doctor as an admin user)");
        }
        String role = info.get().getOrDefault("role", "?");
        if (!"master".equals(role)) {
            return Finding.fail("replication", "connected to a " + role + ", which is read-only: point the tool"
                    + " and clusterix at the master (--sentinel and --cluster find it)");
        }
        int replicas = Integer.parseInt(info.get().getOrDefault("connected_slaves", "0"));
        String minReplicas = config("min-replicas-to-write").map(c -> c.get("min-replicas-to-write")).orElse("?");
        String text = "master with " + replicas + " replica" + (replicas == 1 ? "" : "s") + ", min-replicas-to-write "
                + minReplicas;
        return Finding.ok("replication", replicas == 0 ? text + ": no failover possible, the master is the only"
                + " copy" : text + ": replication is asynchronous, so a failover can lose the last writes; clusterix"
                + " heals (lost heartbeats and joins are written again, a lost node-down claim is reported again)");
    }

    private Optional<Map<String, String>> info(String section) {
        try {
            Map<String, String> values = new java.util.HashMap<>();
            redis.keyServer().info(section).lines().filter(l -> l.contains(":")).forEach(l ->
                    values.put(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip()));
            return Optional.of(values);
        } catch (RedisException e) {
            return Optional.empty();
        }
    }

    /** One name per CONFIG GET: Redis before 7 takes one. Empty when the user may not run it. */
    private Optional<Map<String, String>> config(String... names) {
        Map<String, String> values = new java.util.HashMap<>();
        try {
            for (String name : names) {
                values.putAll(redis.keyServer().configGet(name));
            }
            return Optional.of(values);
        } catch (RedisException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(RedisException e) {
        return Failures.messages(e).lines().findFirst().orElse("").strip();
    }
}
