package io.clusterix.tck;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback: {@code masters} masters and one replica each, every node a {@link
 * RedisServerProcess} of the same binary as the rest of the TCK, joined with {@code CLUSTER} commands (no
 * {@code redis-cli} needed: the embedded binary ships without it). Killed (SIGKILL) with {@link #close()} or with the
 * JVM.
 *
 * <p>Nodes announce {@code 127.0.0.1} ({@code cluster-announce-ip}, which Redisson needs) and use a short
 * {@code cluster-node-timeout}, so that a killed master is replaced within seconds.
 */
public final class LocalRedisCluster implements AutoCloseable {
    /** Number of hash slots of a Redis Cluster. */
    public static final int SLOTS = 16384;

    private final List<RedisServerProcess> nodes;
    private final Duration nodeTimeout;

    /** One range of slots and who serves it, as {@code CLUSTER SLOTS} says. */
    public record SlotRange(int start, int end, RedisEndpoint master, List<RedisEndpoint> replicas) {
        /**
         * @param slot a slot
         * @return whether this range holds it
         */
        public boolean holds(int slot) {
            return slot >= start && slot <= end;
        }
    }

    private LocalRedisCluster(List<RedisServerProcess> nodes, Duration nodeTimeout) {
        this.nodes = nodes;
        this.nodeTimeout = nodeTimeout;
    }

    /**
     * Starts the nodes, assigns the slots evenly to the masters, attaches one replica to each master, and waits
     * until every node reports {@code cluster_state:ok} and agrees on who serves which slots.
     *
     * @param masters     number of masters (at least 3: Redis Cluster needs a majority of masters to fail over)
     * @param nodeTimeout {@code cluster-node-timeout}: how long a master may be unreachable before its replica takes
     *                    over
     * @return the running cluster
     */
    public static LocalRedisCluster start(int masters, Duration nodeTimeout) {
        if (masters < 3) {
            throw new IllegalArgumentException("a Redis Cluster that can fail over needs at least 3 masters");
        }
        List<RedisServerProcess> nodes = new ArrayList<>();
        LocalRedisCluster cluster = new LocalRedisCluster(nodes, nodeTimeout);
        try {
            for (int i = 0; i < 2 * masters; i++) {
                nodes.add(RedisServerProcess.start(clusterPort(), "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                        "--cluster-announce-ip", "127.0.0.1",
                        // A replica may take over whatever the age of its data: the TCK kills masters on purpose.
                        "--cluster-replica-validity-factor", "0",
                        // Redis 7 waits 5 s before a diskless full sync by default; nothing to wait for here.
                        "--repl-diskless-sync-delay", "0",
                        // Redis 7 lists a replica in CLUSTER SLOTS once its replication offset moved: an idle master
                        // moves it with its pings to replicas, every 10 s by default.
                        "--repl-ping-replica-period", "1"));
            }
            cluster.create(masters);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void create(int masters) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            try (RespConnection node = new RespConnection(nodes.get(i).endpoint())) {
                ids.add(node.string("CLUSTER", "MYID"));
                // Distinct epochs up front, as redis-cli does, so no configuration conflict has to be resolved.
                node.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
                if (i < masters) {
                    List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                    // Redis 6.2 has no ADDSLOTSRANGE: every slot is an argument.
                    for (int slot = i * SLOTS / masters; slot < (i + 1) * SLOTS / masters; slot++) {
                        addSlots.add(Integer.toString(slot));
                    }
                    node.call(addSlots.toArray(new String[0]));
                }
            }
        }
        for (int i = 1; i < nodes.size(); i++) {
            try (RespConnection node = new RespConnection(nodes.get(i).endpoint())) {
                node.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(0).port()));
            }
        }
        await("every node to know all " + nodes.size() + " nodes", Duration.ofSeconds(30), () -> nodes.stream()
                .allMatch(n -> knownNodes(n.endpoint()) == nodes.size()));
        for (int i = masters; i < nodes.size(); i++) {
            String masterId = ids.get(i - masters);
            RedisEndpoint replica = nodes.get(i).endpoint();
            await(replica + " to replicate " + masterId, Duration.ofSeconds(30), () -> {
                try (RespConnection node = new RespConnection(replica)) {
                    node.call("CLUSTER", "REPLICATE", masterId);
                    return true;
                } catch (RespConnection.RespError notYet) {
                    return false;
                }
            });
        }
        awaitHealthy(Duration.ofSeconds(60));
    }

    /**
     * Waits until every live node says {@code cluster_state:ok}, every live node reports the same slot owners, every
     * range has a replica whose link to its master is up.
     *
     * @param limit how long to wait
     */
    public void awaitHealthy(Duration limit) {
        await("the cluster to be healthy", limit, () -> {
            List<List<SlotRange>> views = new ArrayList<>();
            for (RedisServerProcess node : nodes) {
                if (!node.isAlive()) {
                    continue;
                }
                try (RespConnection connection = new RespConnection(node.endpoint())) {
                    if (!connection.string("CLUSTER", "INFO").contains("cluster_state:ok")) {
                        return false;
                    }
                    views.add(slots(connection));
                }
            }
            List<SlotRange> first = views.get(0);
            if (views.stream().anyMatch(v -> !v.equals(first)) || first.stream().mapToInt(r -> r.end - r.start + 1)
                    .sum() != SLOTS || first.stream().anyMatch(r -> r.replicas().isEmpty())) {
                return false;
            }
            for (SlotRange range : first) {
                for (RedisEndpoint replica : range.replicas()) {
                    try (RespConnection connection = new RespConnection(replica)) {
                        if (!connection.string("INFO", "replication").contains("master_link_status:up")) {
                            return false;
                        }
                    }
                }
            }
            return true;
        });
    }

    /**
     * Waits until every live node says that {@code expected} is the master of the slot of {@code key}.
     *
     * @param key      a key or hash tag
     * @param expected the new master
     * @param limit    how long to wait
     */
    public void awaitMasterOf(String key, RedisEndpoint expected, Duration limit) {
        int slot = slot(key);
        await(expected + " to serve slot " + slot + " by every node's account", limit, () -> {
            for (RedisServerProcess node : nodes) {
                if (!node.isAlive()) {
                    continue;
                }
                try (RespConnection connection = new RespConnection(node.endpoint())) {
                    boolean agrees = slots(connection).stream()
                            .anyMatch(r -> r.holds(slot) && r.master().equals(expected));
                    if (!agrees) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static long knownNodes(RedisEndpoint endpoint) {
        try (RespConnection connection = new RespConnection(endpoint)) {
            return connection.string("CLUSTER", "NODES").lines()
                    .filter(l -> !l.isBlank() && !l.contains("handshake") && !l.contains("noaddr")).count();
        }
    }

    /**
     * @return the slot ranges as the first live node reports them
     */
    public List<SlotRange> slots() {
        RuntimeException last = null;
        for (RedisServerProcess node : nodes) {
            if (!node.isAlive()) {
                continue;
            }
            try (RespConnection connection = new RespConnection(node.endpoint())) {
                return slots(connection);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no node of the cluster answers CLUSTER SLOTS", last);
    }

    /**
     * @param connection a connection to a cluster node
     * @return its {@code CLUSTER SLOTS}, sorted by first slot
     */
    @SuppressWarnings("unchecked")
    public static List<SlotRange> slots(RespCommands connection) {
        List<SlotRange> ranges = new ArrayList<>();
        for (Object item : (List<Object>) connection.call("CLUSTER", "SLOTS")) {
            List<Object> range = (List<Object>) item;
            List<RedisEndpoint> servers = new ArrayList<>();
            for (int i = 2; i < range.size(); i++) {
                List<Object> server = (List<Object>) range.get(i);
                servers.add(RedisEndpoint.of(server.get(0).toString(), ((Long) server.get(1)).intValue()));
            }
            ranges.add(new SlotRange(((Long) range.get(0)).intValue(), ((Long) range.get(1)).intValue(),
                    servers.get(0), List.copyOf(servers.subList(1, servers.size()))));
        }
        ranges.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return ranges;
    }

    /**
     * @param key a key (or just a hash tag, with its braces)
     * @return the range that holds its slot, as a live node reports it now
     */
    public SlotRange rangeOf(String key) {
        int slot = slot(key);
        return slots().stream().filter(r -> r.holds(slot)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot));
    }

    /** @return the topology a client is given: every node as a seed */
    public RedisTopology topology() {
        return RedisTopology.cluster(nodes.stream().map(RedisServerProcess::endpoint).collect(Collectors.toList()));
    }

    /** @return every node, masters first (as started; roles change with failovers) */
    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * @param endpoint a node's address
     * @return its process
     */
    public RedisServerProcess node(RedisEndpoint endpoint) {
        return nodes.stream().filter(n -> n.port() == endpoint.port()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(endpoint + " is not a node of this cluster"));
    }

    /** @return the {@code cluster-node-timeout} of every node */
    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    /** Kills every node (SIGKILL). Idempotent. */
    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }

    @Override
    public String toString() {
        return "Redis Cluster of " + nodes.size() + " nodes on ports "
                + nodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.joining(","));
    }

    /**
     * The hash slot of a key, as Redis Cluster computes it: CRC16 (XMODEM) of the hash tag (the text between the
     * first {@code {} and the next {@code }}, if not empty) or else of the whole key, modulo 16384.
     *
     * @param key the key
     * @return its slot
     */
    public static int slot(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        int end = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                start = open + 1;
                end = close;
            }
        }
        int crc = 0;
        for (int i = start; i < end; i++) {
            crc ^= (bytes[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % SLOTS;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A port whose cluster bus port (port + 10000: Redis 6.2 has no {@code cluster-port}) is free as well; outside
     * Linux' ephemeral range, where client sockets would take it.
     */
    private static int clusterPort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (bindable(port) && bindable(port + 10_000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free pair of ports (p, p + 10000) between 20000 and 40000 on 127.0.0.1");
    }

    private static boolean bindable(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException taken) {
            return false;
        }
    }

    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e; // a node still starting, or failing over: ask again
            }
            try {
                Thread.sleep(50); // polling processes we do not control: nothing to wait on but time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + limit + " waiting for " + what
                + (last != null ? "; last error: " + last : ""), last);
    }

    /**
     * @param ranges slot ranges
     * @return master → the ranges it serves
     */
    static Map<RedisEndpoint, List<SlotRange>> byMaster(List<SlotRange> ranges) {
        Map<RedisEndpoint, List<SlotRange>> map = new LinkedHashMap<>();
        for (SlotRange range : ranges) {
            map.computeIfAbsent(Objects.requireNonNull(range.master()), m -> new ArrayList<>()).add(range);
        }
        return map;
    }
}
