package io.clusterix.tck;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link RespCommands} for a Sentinel or Cluster topology: each command goes to the server it belongs to, as the TCK's
 * direct checks need, and follows failovers.
 * <ul>
 *   <li>A command on a key ({@code HGET key ...}, {@code ZADD key ...}, {@code DEL key...}: the key is the first
 *       argument) goes to the master that serves the key's slot (Cluster, from {@code CLUSTER SLOTS}) or to the
 *       current master (Sentinel, from {@code SENTINEL GET-MASTER-ADDR-BY-NAME}).</li>
 *   <li>{@code KEYS} goes to every master; the replies are concatenated.</li>
 *   <li>{@code SCRIPT}, {@code ACL}, {@code CONFIG} go to every master and replica (none of them is replicated, and a
 *       client may connect to any of them); the first master's reply is returned.</li>
 *   <li>{@code CLIENT} ({@code CLIENT PAUSE}) goes to every master.</li>
 *   <li>{@code TIME}, {@code INFO}, {@code PING} go to one master.</li>
 * </ul>
 * A {@code MOVED}, {@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code READONLY} or {@code LOADING} reply or a broken
 * connection makes it look up the topology again and retry, for up to 20 s. Not thread-safe.
 */
public final class RoutingRespConnection implements RespCommands {
    private static final long RETRY_NANOS = 20_000_000_000L;

    private final RedisTopology topology;
    private final Map<RedisEndpoint, RespConnection> open = new HashMap<>();
    private List<LocalRedisCluster.SlotRange> slots;
    private RedisEndpoint sentinelMaster;
    private List<RedisEndpoint> sentinelReplicas;

    /**
     * @param topology a Sentinel or Cluster topology; its data-node credentials are used
     */
    public RoutingRespConnection(RedisTopology topology) {
        if (topology.kind() == RedisTopology.Kind.STANDALONE) {
            throw new IllegalArgumentException("a standalone server needs no routing: use RespConnection");
        }
        this.topology = topology;
    }

    @Override
    public Object call(String... args) {
        long deadline = System.nanoTime() + RETRY_NANOS;
        while (true) {
            try {
                return route(args);
            } catch (RespConnection.RespError e) {
                String message = String.valueOf(e.getMessage());
                if (!(message.startsWith("MOVED") || message.startsWith("ASK") || message.startsWith("CLUSTERDOWN")
                        || message.startsWith("TRYAGAIN") || message.startsWith("READONLY")
                        || message.startsWith("LOADING")) || System.nanoTime() > deadline) {
                    throw e;
                }
                forgetTopology();
            } catch (UncheckedIOException | IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                forgetTopology();
            }
            pause();
        }
    }

    private Object route(String... args) {
        String command = args[0].toUpperCase(Locale.ROOT);
        switch (command) {
            case "KEYS": {
                List<Object> all = new ArrayList<>();
                for (RedisEndpoint master : masters()) {
                    all.addAll((List<?>) connection(master).call(args));
                }
                return all;
            }
            case "SCRIPT":
            case "ACL":
            case "CONFIG":
                return toEach(dataNodes(), args);
            case "CLIENT":
                return toEach(masters(), args);
            case "TIME":
            case "INFO":
            case "PING":
                return connection(masters().get(0)).call(args);
            case "EVAL":
                if (args.length < 4 || "0".equals(args[2])) {
                    throw new IllegalArgumentException("RoutingRespConnection routes EVAL by its first key; give one");
                }
                return connection(masterFor(args[3])).call(args);
            default:
                if (args.length < 2) {
                    throw new IllegalArgumentException("RoutingRespConnection does not know where " + command
                            + " without a key goes");
                }
                return connection(masterFor(args[1])).call(args);
        }
    }

    /** Sends the command to every server given; returns the first one's reply. */
    private Object toEach(List<RedisEndpoint> servers, String... args) {
        Object first = null;
        for (int i = 0; i < servers.size(); i++) {
            Object reply = connection(servers.get(i)).call(args);
            if (i == 0) {
                first = reply;
            }
        }
        return first;
    }

    /**
     * @param key a key (or a hash tag with its braces)
     * @return the master that serves it now
     */
    public RedisEndpoint masterFor(String key) {
        if (topology.kind() == RedisTopology.Kind.SENTINEL) {
            return masters().get(0);
        }
        int slot = LocalRedisCluster.slot(key);
        return clusterSlots().stream().filter(r -> r.holds(slot)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot)).master();
    }

    /** @return the masters now: one under Sentinel, every master that serves slots under Cluster */
    public List<RedisEndpoint> masters() {
        if (topology.kind() == RedisTopology.Kind.SENTINEL) {
            resolveSentinel();
            return List.of(sentinelMaster);
        }
        return List.copyOf(LocalRedisCluster.byMaster(clusterSlots()).keySet());
    }

    /** @return the masters and their reachable replicas now */
    public List<RedisEndpoint> dataNodes() {
        Set<RedisEndpoint> nodes = new LinkedHashSet<>(masters());
        if (topology.kind() == RedisTopology.Kind.SENTINEL) {
            nodes.addAll(sentinelReplicas);
        } else {
            clusterSlots().forEach(r -> nodes.addAll(r.replicas()));
        }
        return List.copyOf(nodes);
    }

    private List<LocalRedisCluster.SlotRange> clusterSlots() {
        if (slots == null) {
            RuntimeException last = null;
            for (RedisEndpoint seed : topology.seeds()) {
                try {
                    slots = LocalRedisCluster.slots(connection(seed));
                    if (!slots.isEmpty()) {
                        return slots;
                    }
                } catch (RuntimeException e) {
                    last = e;
                    drop(seed);
                }
            }
            slots = null;
            throw new IllegalStateException("no seed of " + topology + " answers CLUSTER SLOTS", last);
        }
        return slots;
    }

    private void resolveSentinel() {
        if (sentinelMaster != null) {
            return;
        }
        RuntimeException last = null;
        for (RedisEndpoint sentinel : topology.seeds()) {
            // Sentinels have no credentials in the TCK: connect without the data nodes' user.
            try (RespConnection connection = new RespConnection(RedisEndpoint.of(sentinel.host(), sentinel.port()))) {
                sentinelMaster = LocalRedisSentinel.masterAccordingTo(connection);
                sentinelReplicas = LocalRedisSentinel.healthyReplicas(connection);
                return;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no Sentinel of " + topology + " answers", last);
    }

    private RespConnection connection(RedisEndpoint node) {
        RedisEndpoint key = RedisEndpoint.of(node.host(), node.port());
        RespConnection connection = open.get(key);
        if (connection == null) {
            connection = new RespConnection(key.withCredentials(topology.username(), topology.password()));
            open.put(key, connection);
        }
        return connection;
    }

    private void drop(RedisEndpoint node) {
        RespConnection connection = open.remove(RedisEndpoint.of(node.host(), node.port()));
        if (connection != null) {
            connection.close();
        }
    }

    /** Forgets the slots or master and every connection: the next command looks them up again. */
    private void forgetTopology() {
        slots = null;
        sentinelMaster = null;
        sentinelReplicas = null;
        open.values().forEach(RespConnection::close);
        open.clear();
    }

    private static void pause() {
        try {
            Thread.sleep(100); // waiting for a failover to settle: nothing to wait on but time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the topology to settle", e);
        }
    }

    @Override
    public void close() {
        open.values().forEach(RespConnection::close);
        open.clear();
    }

    @Override
    public String toString() {
        return "direct connections to " + topology;
    }
}
