package io.clusterix.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Sentinel deployment on loopback: a master, one replica, and three Sentinels that monitor the master under
 * {@value #MASTER_NAME} with a quorum of 2, all {@link RedisServerProcess}es of the same binary as the rest of the
 * TCK (a Sentinel is {@code redis-server <config> --sentinel}). Killed (SIGKILL) with {@link #close()} or with the
 * JVM.
 */
public final class LocalRedisSentinel implements AutoCloseable {
    /** The name the Sentinels monitor the master under. */
    public static final String MASTER_NAME = "clusterix";

    private final List<RedisServerProcess> dataNodes = new ArrayList<>();
    private final List<RedisServerProcess> sentinels = new ArrayList<>();
    private final List<Path> configDirs = new ArrayList<>();

    private LocalRedisSentinel() {
    }

    /**
     * Starts the master, the replica (waits until it is in sync), then the Sentinels, and waits until each Sentinel
     * knows the replica and the two other Sentinels, so that a failover can be authorized.
     *
     * @param downAfter {@code down-after-milliseconds}: how long the master may not answer before a Sentinel
     *                  considers it down
     * @return the running deployment
     */
    public static LocalRedisSentinel start(Duration downAfter) {
        LocalRedisSentinel deployment = new LocalRedisSentinel();
        try {
            // Redis 7 waits 5 s before a diskless full sync by default; nothing to wait for here.
            RedisServerProcess master = RedisServerProcess.start("--repl-diskless-sync-delay", "0");
            deployment.dataNodes.add(master);
            RedisServerProcess replica = RedisServerProcess.start("--repl-diskless-sync-delay", "0", "--replicaof",
                    "127.0.0.1", Integer.toString(master.port()));
            deployment.dataNodes.add(replica);
            LocalRedisCluster.await("the replica " + replica.endpoint() + " to sync", Duration.ofSeconds(30), () -> {
                try (RespConnection connection = new RespConnection(replica.endpoint())) {
                    return connection.string("INFO", "replication").contains("master_link_status:up");
                }
            });
            for (int i = 0; i < 3; i++) {
                int port = RedisServerProcess.freePort();
                Path dir = Files.createTempDirectory("clusterix-sentinel-" + port + "-");
                Path config = dir.resolve("sentinel.conf");
                Files.writeString(config, String.join("\n",
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " " + downAfter.toMillis(),
                        "sentinel failover-timeout " + MASTER_NAME + " 10000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
                deployment.sentinels.add(RedisServerProcess.startWithConfig(port, config, "--sentinel"));
                deployment.configDirs.add(dir);
            }
            for (RedisServerProcess sentinel : deployment.sentinels) {
                LocalRedisCluster.await("Sentinel " + sentinel.endpoint() + " to know the replica and the others",
                        Duration.ofSeconds(30), () -> {
                            try (RespConnection connection = new RespConnection(sentinel.endpoint())) {
                                return ((List<?>) connection.call("SENTINEL", "SENTINELS", MASTER_NAME)).size() == 2
                                        && healthyReplicas(connection).size() == 1;
                            }
                        });
            }
            return deployment;
        } catch (IOException e) {
            deployment.close();
            throw new UncheckedIOException("cannot write a Sentinel configuration", e);
        } catch (RuntimeException | Error e) {
            deployment.close();
            throw e;
        }
    }

    /**
     * @param sentinel a connection to a Sentinel
     * @return the replicas it considers reachable
     */
    @SuppressWarnings("unchecked")
    static List<RedisEndpoint> healthyReplicas(RespCommands sentinel) {
        List<RedisEndpoint> healthy = new ArrayList<>();
        for (Object item : (List<Object>) sentinel.call("SENTINEL", "REPLICAS", MASTER_NAME)) {
            Map<String, String> fields = fields((List<Object>) item);
            String flags = fields.getOrDefault("flags", "");
            if (!flags.contains("down") && !flags.contains("disconnected")
                    && "ok".equals(fields.get("master-link-status"))) {
                healthy.add(RedisEndpoint.of(fields.get("ip"), Integer.parseInt(fields.get("port"))));
            }
        }
        return healthy;
    }

    private static Map<String, String> fields(List<Object> flat) {
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(flat.get(i).toString(), String.valueOf(flat.get(i + 1)));
        }
        return map;
    }

    /**
     * @param sentinel a connection to a Sentinel
     * @return where that Sentinel says the master is
     */
    @SuppressWarnings("unchecked")
    static RedisEndpoint masterAccordingTo(RespCommands sentinel) {
        List<Object> address = (List<Object>) sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
        return RedisEndpoint.of(address.get(0).toString(), Integer.parseInt(address.get(1).toString()));
    }

    /** @return the master, as the first Sentinel that answers says */
    public RedisEndpoint master() {
        RuntimeException last = null;
        for (RedisServerProcess sentinel : sentinels) {
            try (RespConnection connection = new RespConnection(sentinel.endpoint())) {
                return masterAccordingTo(connection);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no Sentinel answers", last);
    }

    /**
     * Waits until every Sentinel names {@code expected} as the master and the server itself says it is one.
     *
     * @param expected the new master
     * @param limit    how long to wait
     */
    public void awaitMaster(RedisEndpoint expected, Duration limit) {
        LocalRedisCluster.await("every Sentinel to name " + expected + " the master", limit, () -> {
            for (RedisServerProcess sentinel : sentinels) {
                try (RespConnection connection = new RespConnection(sentinel.endpoint())) {
                    if (!masterAccordingTo(connection).equals(expected)) {
                        return false;
                    }
                }
            }
            try (RespConnection connection = new RespConnection(expected)) {
                return connection.string("INFO", "replication").contains("role:master");
            }
        });
    }

    /** @return the topology a client is given: the Sentinels and the master name */
    public RedisTopology topology() {
        return RedisTopology.sentinel(MASTER_NAME,
                sentinels.stream().map(RedisServerProcess::endpoint).collect(Collectors.toList()));
    }

    /** @return the master and the replica, as started (roles change with failovers) */
    public List<RedisServerProcess> dataNodes() {
        return List.copyOf(dataNodes);
    }

    /** @return the Sentinels */
    public List<RedisServerProcess> sentinels() {
        return List.copyOf(sentinels);
    }

    /**
     * @param endpoint a data node's address
     * @return its process
     */
    public RedisServerProcess dataNode(RedisEndpoint endpoint) {
        return dataNodes.stream().filter(n -> n.port() == endpoint.port()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(endpoint + " is not a data node of this deployment"));
    }

    /** Kills the Sentinels and the data nodes (SIGKILL). Idempotent. */
    @Override
    public void close() {
        sentinels.forEach(RedisServerProcess::close);
        dataNodes.forEach(RedisServerProcess::close);
        configDirs.forEach(RedisServerProcess::deleteTree);
    }

    @Override
    public String toString() {
        return "Sentinel deployment '" + MASTER_NAME + "': data nodes "
                + dataNodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.joining(","))
                + ", Sentinels " + sentinels.stream().map(n -> Integer.toString(n.port()))
                .collect(Collectors.joining(","));
    }
}
