package io.clusterix.bench;

import io.clusterix.ClusterKeys;
import io.clusterix.Clusterix;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RespConnection;
import io.clusterix.spi.ScriptedHeartbeatStore;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * One run of the {@link ScaleSimulator}, in this JVM: one backend, N nodes, one Redis.
 *
 * <ol>
 *   <li>Waits for a quiet machine, starts Redis (or uses the given URL), opens the backend's client with K
 *       connections.</li>
 *   <li>JIT warm-up: a small cluster on other keys runs for a few seconds and is disposed, so that the N nodes do
 *       not start in a cold JVM (10,000 processes of a real cluster do not share one interpreter).</li>
 *   <li>Starts the N nodes spread over one heartbeat interval, waits until all joined, then the warm-up.</li>
 *   <li>Measures for the duration while it kills a sample spread over the window, waits for the last detections,
 *       and reads every figure.</li>
 * </ol>
 * False "node down" events and evictions are counted separately for the start-up (start and warm-up) and for the
 * window (from its start to the end of the wait for late detections).
 */
final class SimulationRun {
    private final ScaleSimulator.Settings s;
    private final Backend backend;
    private final int n;
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sim-starter");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Down> downs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> evictions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> errors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sampled = new AtomicInteger();
    private final Hiccups hiccups = new Hiccups();
    private final ViewTracker views = new ViewTracker();
    private RedisServerProcess server;

    /** One virtual node. */
    private static final class VirtualNode {
        final int index;
        final String id;
        final CountingHeartbeatStore store;
        final Clusterix cluster;
        volatile boolean member;
        volatile long killedAt;
        /** Chosen to be killed in this run's window: it need not get every version. */
        volatile boolean victim;
        /** The version of the view its join returned; -1 until it joined. */
        volatile long joinVersion = -1;
        /** System.nanoTime() its join completed. */
        volatile long joinedAt;

        VirtualNode(int index, String id, CountingHeartbeatStore store, Clusterix cluster) {
            this.index = index;
            this.id = id;
            this.store = store;
            this.cluster = cluster;
        }
    }

    /** A "node down" event as one node's listener received it (System.nanoTime() on the receiver). */
    private record Down(String nodeId, long incarnation, NodeDownReason reason, int delivery, int receiver,
                        long nanos) {
    }

    SimulationRun(ScaleSimulator.Settings settings, Backend backend, int nodes) {
        this.s = settings;
        this.backend = backend;
        this.n = nodes;
    }

    RunResult run() throws Exception {
        double quietBefore = MachineCpu.awaitQuiet(s.quietPct, s.quietWaitS);
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        server = s.redisUrl == null ? RedisServerProcess.start() : null;
        try {
            RedisEndpoint endpoint = server != null ? server.endpoint() : RedisEndpoint.parse(s.redisUrl);
            // A unique prefix keeps this run's keys apart from the JIT warm-up's and, on a shared server, from others'.
            String keyPrefix = "clusterix-bench-" + System.currentTimeMillis();
            log("%s N=%d K=%d on %s", backend.id() + (s.jedisThreads > 0 ? " on " + s.jedisThreads + " threads" : ""),
                    n, s.connections, server != null ? server : endpoint);
            try (RespConnection info = new RespConnection(endpoint);
                 Backend.SharedClients clients = backend.connect(endpoint, s.connections, s.jedisThreads)) {
                jitWarmup(clients, info, keyPrefix + "-jit");
                List<VirtualNode> nodes = new ArrayList<>(n);
                try {
                    return measure(clients, info, keyPrefix, nodes, started, quietBefore);
                } finally {
                    // Before the clients close: a node still running would report their closing as failures.
                    starter.shutdownNow();
                    hiccups.close();
                    nodes.forEach(node -> node.cluster.dispose());
                    info.call(delete(keyPrefix));
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private VirtualNode node(Backend.SharedClients clients, CallCounters counters, String keyPrefix, int i,
                             boolean record) {
        String id = String.format(Locale.ROOT, "node-%05d", i);
        CountingHeartbeatStore store = new CountingHeartbeatStore(clients.store(i), counters, record ? views : null);
        Clusterix cluster = Clusterix.builder(store).keyPrefix(keyPrefix).nodeId(id)
                .heartbeatInterval(Duration.ofMillis(s.heartbeatMs))
                .pollInterval(Duration.ofMillis(s.pollMs))
                .timeout(Duration.ofMillis(s.timeoutMs))
                .build();
        VirtualNode node = new VirtualNode(i, id, store, cluster);
        if (record) {
            // Tiny on purpose: every member gets every change, so this runs N times per change.
            cluster.onMembershipChanged(event -> views.applied(event, !node.victim, System.currentTimeMillis()));
            cluster.onNodeDown(down -> downs.add(new Down(down.nodeId(), down.incarnation(), down.reason(),
                    down.delivery(), i, System.nanoTime())));
            cluster.onEvicted(evicted -> evictions.add(System.nanoTime()));
            cluster.onError(error -> {
                errors.add(System.nanoTime());
                if (sampled.incrementAndGet() <= 3) {
                    errorSamples.add(id + ": " + error);
                }
            });
        }
        return node;
    }

    /** Starts a node's join; marks it a member, with the version its join returned, when the join completes. */
    private CompletableFuture<Void> join(VirtualNode node) {
        return node.cluster.initializeNode().whenComplete((ok, error) -> {
            if (error == null) {
                node.joinVersion = node.cluster.view().version();
                node.joinedAt = System.nanoTime();
                node.member = true;
            }
        });
    }

    /** Runs a small cluster on other keys for a few seconds, so that the measured nodes start in a warm JVM. */
    private void jitWarmup(Backend.SharedClients clients, RespConnection info, String keyPrefix) throws Exception {
        if (s.jitWarmupS <= 0) {
            return;
        }
        int size = Math.min(n, 200);
        CallCounters ignored = new CallCounters();
        List<VirtualNode> warm = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            warm.add(node(clients, ignored, keyPrefix, i, false));
        }
        log("JIT warm-up: %d nodes on other keys for %d s", size, s.jitWarmupS);
        CompletableFuture.allOf(warm.stream().map(v -> v.cluster.initializeNode()).toArray(CompletableFuture[]::new))
                .exceptionally(e -> null).get(60, TimeUnit.SECONDS);
        Thread.sleep(TimeUnit.SECONDS.toMillis(s.jitWarmupS));
        warm.forEach(v -> v.cluster.dispose());
        info.call(delete(keyPrefix));
    }

    private RunResult measure(Backend.SharedClients clients, RespConnection info, String keyPrefix,
                              List<VirtualNode> nodes, String started, double quietBefore) throws Exception {
        CallCounters counters = new CallCounters();
        long memoryBefore = RedisStats.read(info).usedMemory();
        for (int i = 0; i < n; i++) {
            nodes.add(node(clients, counters, keyPrefix, i, true));
        }

        // Start: spread over one heartbeat interval, as the processes of a real cluster would be (or over
        // --startup-s: a join returns the members, O(N) in Redis, so N joins within 500 ms are a storm Redis may not
        // carry at large N).
        log("starting %d nodes over %d ms%s", n, TimeUnit.NANOSECONDS.toMillis(s.startOffsetNanos(n, n)),
                s.startupS > 0 && s.quadraticStartup ? ", node i at S(i/N)^2" : "");
        long startNanos = System.nanoTime();
        List<CompletableFuture<Void>> joins = new ArrayList<>(n);
        for (VirtualNode node : nodes) {
            CompletableFuture<Void> joined = new CompletableFuture<>();
            joins.add(joined);
            starter.schedule(() -> join(node).whenComplete((ok, error) -> {
                if (error == null) {
                    joined.complete(null);
                } else {
                    joined.completeExceptionally(error);
                }
            }), s.startOffsetNanos(node.index, n), TimeUnit.NANOSECONDS);
        }
        try {
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(120 + s.startupS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log("not every node joined within %d s", 120 + s.startupS);
        }
        double startupS = (System.nanoTime() - startNanos) / 1e9;
        long joinFailures = nodes.stream().filter(node -> !node.member).count();
        log("%d nodes joined in %.1f s (%d failed); warm-up %d s", n - joinFailures, startupS, joinFailures,
                s.warmupS);
        Thread.sleep(TimeUnit.SECONDS.toMillis(s.warmupS));

        // The measurement window.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        RedisStats redis0 = RedisStats.read(info);
        CallCounters.Snapshot calls0 = counters.snapshot();
        long cpu0 = os.getProcessCpuTime();
        MachineCpu machine0 = MachineCpu.read();
        Map<String, Long> threads0 = ThreadCpu.read();
        long[] gc0 = gcCounts();
        counters.resetGap();
        hiccups.reset();
        views.start();
        long t0Wall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        long windowNanos = TimeUnit.SECONDS.toNanos(s.durationS);
        long t1 = t0 + windowNanos;

        List<VirtualNode> candidates = new ArrayList<>(nodes.stream().filter(node -> node.member).toList());
        Collections.shuffle(candidates, new Random(s.seed));
        int churn = s.churnCount(n, s.durationS);
        int killCount = Math.min(candidates.size() / 2, churn > 0 ? churn
                : Math.max(s.minKills, (int) Math.round(n * s.killFraction)));
        List<VirtualNode> victims = candidates.subList(0, killCount);
        victims.forEach(victim -> victim.victim = true);
        List<VirtualNode> survivors = new ArrayList<>(candidates.subList(killCount, candidates.size()));
        // Spread the kills (and in churn mode the joins, half a step after each kill) over the window, the last one
        // early enough to be detected before it ends.
        long firstKill = t0 + windowNanos / 20;
        long lastKill = Math.max(firstKill, t1 - TimeUnit.MILLISECONDS.toNanos(s.timeoutMs + s.pollMs + 1000));
        log("measuring %d s; killing %d nodes%s", s.durationS, killCount,
                churn > 0 ? " and starting " + churn + " new ones (churn " + s.churnPerMin + " of N per minute)" : "");
        if (s.redisPauseMs > 0) {
            pauseRedis(t0 + TimeUnit.SECONDS.toNanos(s.durationS) / 2);
        }
        List<VirtualNode> joiners = new ArrayList<>(churn);
        long step = killCount <= 1 ? 0 : (lastKill - firstKill) / (killCount - 1);
        for (int k = 0; k < Math.max(killCount, churn); k++) {
            long at = killCount <= 1 ? firstKill : firstKill + (lastKill - firstKill) * k / (killCount - 1);
            if (k < killCount) {
                sleepUntil(at);
                VirtualNode victim = victims.get(k);
                victim.killedAt = System.nanoTime();
                victim.cluster.dispose();
            }
            if (k < churn) {
                sleepUntil(at + (step > 0 ? step / 2 : windowNanos / 20));
                VirtualNode joiner = node(clients, counters, keyPrefix, n + k, true);
                nodes.add(joiner);
                joiners.add(joiner);
                join(joiner).exceptionally(error -> {
                    log("new node %s could not join: %s", joiner.id, error);
                    return null;
                });
            }
        }
        sleepUntil(t1);
        RedisStats redis1 = RedisStats.read(info);
        long t1Wall = System.currentTimeMillis();
        ClusterKeys keys = ClusterKeys.of(keyPrefix, "");
        long keysBytes = 0;
        for (String key : keys.all()) {
            keysBytes += memoryUsage(info, key);
        }
        long historyBytes = memoryUsage(info, keys.history());
        long metadataBytes = memoryUsage(info, keys.metadata());
        long historyEntries = info.integer("ZCARD", keys.history());
        int membersAtEnd = (int) (survivors.stream().filter(node -> node.member).count()
                + joiners.stream().filter(node -> node.member).count());
        CallCounters.Snapshot calls = counters.snapshot().minus(calls0);
        long cpuNanos = os.getProcessCpuTime() - cpu0;
        MachineCpu machine1 = MachineCpu.read();
        Map<String, Long> threadCpu = ThreadCpu.since(threads0, ThreadCpu.read());
        long[] gc1 = gcCounts();
        long stall = counters.longestGapNanos();
        long stallEnd = counters.longestGapEnd();
        long hiccup = hiccups.longestNanos();
        long hiccupEnd = hiccups.longestAt();
        long tEnd = System.nanoTime();

        // Late detections of the last kills.
        long graceEnd = tEnd + TimeUnit.MILLISECONDS.toNanos(3 * (s.timeoutMs + s.pollMs) + 2000);
        while (System.nanoTime() < graceEnd && detected(victims) < killCount) {
            Thread.sleep(50);
        }
        // Every surviving member should reach the cluster's last version within about one heartbeat.
        survivors.addAll(joiners.stream().filter(node -> node.member).toList());
        long lastVersion = clockVersion(info, keys);
        long viewsEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * s.heartbeatMs + 2000);
        int behind;
        while ((behind = behind(survivors, lastVersion)) > 0 && System.nanoTime() < viewsEnd) {
            Thread.sleep(50);
        }
        Thread.sleep(100); // the last listeners' calls, queued after the views moved
        long[] joinVersions = joiners.stream().filter(node -> node.joinVersion >= 0)
                .mapToLong(node -> node.joinVersion).sorted().toArray();
        int initialSurvivors = survivors.size() - joinVersions.length;
        int joinCount = joiners.size();
        int joinsDone = joinVersions.length;
        ViewTracker.Summary viewSummary = views.summarize(t0Wall, t1Wall,
                version -> initialSurvivors + countBelow(joinVersions, version));
        if (behind > 0) {
            log("%d surviving members were still behind version %d at the end of the wait", behind, lastVersion);
        }
        log("membership views: %s", viewSummary);
        List<Down> events = new ArrayList<>(downs);
        long graceDone = System.nanoTime();
        int peakThreads = ManagementFactory.getThreadMXBean().getPeakThreadCount();
        // After the events are copied: a full GC may pause the nodes long enough to miss heartbeats.
        long heapWith = heapAfterGc();

        // Detections and false downs.
        Map<String, VirtualNode> victimById = new HashMap<>();
        victims.forEach(v -> victimById.put(v.id, v));
        Map<String, Long> firstDetection = new HashMap<>();
        long falseDowns = 0;
        long startupFalseDowns = 0;
        int duplicates = 0;
        Map<Long, Integer> falseBySecond = new TreeMap<>();
        Map<Integer, Integer> falseByConnection = new TreeMap<>();
        events.sort((a, b) -> Long.compare(a.nanos, b.nanos));
        for (Down down : events) {
            VirtualNode victim = victimById.get(down.nodeId);
            if (victim == null || down.nanos < victim.killedAt) {
                if (down.nanos < t0) {
                    startupFalseDowns++;
                } else {
                    falseDowns++;
                }
                if (falseDowns + startupFalseDowns <= 3) {
                    log("false node-down: %s (incarnation %d, %s, delivery %d) reported to node-%05d", down.nodeId,
                            down.incarnation, down.reason, down.delivery, down.receiver);
                }
                falseBySecond.merge((down.nanos - startNanos) / 1_000_000_000L, 1, Integer::sum);
                falseByConnection.merge(index(down.nodeId) % s.connections, 1, Integer::sum);
            } else if (firstDetection.putIfAbsent(down.nodeId, down.nanos) != null) {
                duplicates++;
            }
        }
        if (!falseBySecond.isEmpty()) {
            log("false node-downs by second after the first join (window: %d..%d s): %s; by node index modulo K: %s",
                    (t0 - startNanos) / 1_000_000_000L, (tEnd - startNanos) / 1_000_000_000L, falseBySecond,
                    falseByConnection);
        }
        long[] fromKill = new long[firstDetection.size()];
        long[] fromHeartbeat = new long[firstDetection.size()];
        int d = 0;
        for (Map.Entry<String, Long> detection : firstDetection.entrySet()) {
            VirtualNode victim = victimById.get(detection.getKey());
            fromKill[d] = detection.getValue() - victim.killedAt;
            fromHeartbeat[d] = detection.getValue() - victim.store.lastHeartbeatNanos();
            d++;
        }
        Arrays.sort(fromKill);
        Arrays.sort(fromHeartbeat);

        // Node-seconds of the window: a killed node counts until its kill.
        double nodeSeconds = 0;
        for (VirtualNode node : nodes) {
            if (node.member) {
                long end = node.killedAt != 0 ? Math.min(node.killedAt, tEnd) : tEnd;
                nodeSeconds += Math.max(0, end - Math.max(t0, node.joinedAt)) / 1e9;
            }
        }
        double windowNs = tEnd - t0;
        double clientCpu = 100.0 * cpuNanos / windowNs;
        double redisCpu = redis1.cpuPercentSince(redis0);
        double machineCpu = machine1.percentSince(machine0);
        double redisS = redis1.secondsSince(redis0);
        long scriptCalls = redis1.scriptCalls() - redis0.scriptCalls();
        long windowEvictions = evictions.stream().filter(at -> at >= t0 && at <= graceDone).count();
        long windowErrors = errors.stream().filter(at -> at >= t0 && at <= graceDone).count();
        // What the nodes cost: the heap with them running, less the heap once they are gone (same JVM, same clients).
        nodes.forEach(node -> node.cluster.dispose());
        nodes.clear();
        candidates.clear();
        survivors.clear();
        joiners.clear();
        victimById.clear();
        Thread.sleep(s.timeoutMs); // replies still in flight
        long heapWithout = heapAfterGc();
        double schedulerCpu = 100.0 * threadCpu.getOrDefault("clusterix-scheduler-", 0L) / windowNs;
        double callbackCpu = 100.0 * threadCpu.getOrDefault("clusterix-callback-", 0L) / windowNs;

        log("longest stall without any completed call: %.0f ms, ending %.1f s into the window; longest JVM hiccup:"
                + " %.0f ms, ending %.1f s into the window", stall / 1e6, (stallEnd - t0) / 1e9, hiccup / 1e6,
                (hiccupEnd - t0) / 1e9);
        log("calls in window: %s, failures %d; evictions %d in the window, %d before; errors %d in the window, %d"
                + " before; %d joins failed", calls.calls(), calls.failures(), windowEvictions,
                evictions.size() - windowEvictions, windowErrors, errors.size() - windowErrors, joinFailures);
        errorSamples.forEach(sample -> log("error sample: %s", sample));
        log("client CPU by thread, %% of one core: %s", threadCpu.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), 100.0 * e.getValue() / windowNs))
                .collect(Collectors.joining(", ")));

        String label = backend == Backend.JEDIS && s.jedisThreads > 0 ? "jedis-t" + s.jedisThreads : backend.id();
        return new RunResult(started, label, redis1.version(),
                ScriptedHeartbeatStore.scriptSha1().substring(0, 12),
                build(Clusterix.class, ScriptedHeartbeatStore.class, clients.store(0).getClass()), n, s.connections,
                s.heartbeatMs, s.pollMs, s.timeoutMs, windowNs / 1e9, redisCpu,
                (redis1.commands() - redis0.commands() - 1) / redisS,
                scriptCalls / redisS,
                scriptCalls == 0 ? 0 : (redis1.scriptMicros() - redis0.scriptMicros()) / (double) scriptCalls,
                calls.total() / nodeSeconds, calls.roundTrips().quantileNanos(0.5) / 1e6,
                calls.roundTrips().quantileNanos(0.99) / 1e6, calls.failures(),
                calls.sendGaps().quantileNanos(0.999) / 1e6, calls.sendGaps().quantileNanos(1.0) / 1e6, killCount,
                firstDetection.size(), duplicates, millis(fromKill, 0.5), millis(fromKill, 0.99), millis(fromKill, 1.0),
                millis(fromHeartbeat, 0.5), millis(fromHeartbeat, 0.99), millis(fromHeartbeat, 1.0), falseDowns,
                windowEvictions, windowErrors, startupFalseDowns, evictions.size() - windowEvictions, startupS,
                clientCpu, schedulerCpu, Runtime.getRuntime().availableProcessors(),
                (heapWith - heapWithout) / 1024.0 / n, heapWith / 1024.0 / 1024.0, peakThreads, gc1[0] - gc0[0],
                gc1[1] - gc0[1], stall / 1e6, hiccup / 1e6, redis1.connectedClients(), machineCpu,
                machineCpu < 0 ? -1 : Math.max(0, machineCpu - clientCpu - redisCpu), quietBefore, s.churnPerMin,
                joinCount, joinsDone, viewSummary.versions(),
                viewSummary.checked(), viewSummary.applies(), viewSummary.identical(), viewSummary.equal(),
                viewSummary.mismatched(), viewSummary.incomplete(), viewSummary.resyncEvents(), behind,
                viewSummary.p50Ms(), viewSummary.p99Ms(), viewSummary.maxMs(), redis1.usedMemory(),
                membersAtEnd == 0 ? -1 : (redis1.usedMemory() - memoryBefore) / (double) membersAtEnd, keysBytes,
                historyBytes, historyEntries, metadataBytes, callbackCpu, s.startupS,
                s.startupS <= 0 ? "linear" : s.quadraticStartup ? "quadratic" : "linear");
    }

    /**
     * Freezes the Redis process (SIGSTOP) for {@code --redis-pause-ms} at the given time, then lets it go on
     * (SIGCONT): what a fork for a snapshot of a big dataset, a slow command or a stalled disk does to every node.
     */
    private void pauseRedis(long atNanos) {
        if (server == null) {
            throw new IllegalStateException("--redis-pause-ms needs a Redis this simulator starts (no --redis-url)");
        }
        String pid = Long.toString(server.process().pid());
        starter.schedule(() -> {
            try {
                new ProcessBuilder("kill", "-STOP", pid).start().waitFor();
                long stopped = System.nanoTime();
                Thread.sleep(s.redisPauseMs);
                new ProcessBuilder("kill", "-CONT", pid).start().waitFor();
                log("Redis (pid %s) was stopped for %.0f ms", pid, (System.nanoTime() - stopped) / 1e6);
            } catch (Exception e) {
                log("could not pause Redis: %s", e);
            }
        }, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** A digest of the class files that make the engine and the backend: tells builds apart in the CSV. */
    static String build(Class<?>... classes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Class<?> type : classes) {
                try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
                    if (in != null) {
                        digest.update(in.readAllBytes());
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unknown";
        }
    }

    /** @return bytes of one key ({@code MEMORY USAGE key SAMPLES 0}: every element counted), 0 if it does not exist */
    private static long memoryUsage(RespConnection info, String key) {
        Object reply = info.call("MEMORY", "USAGE", key, "SAMPLES", "0");
        return reply instanceof Long bytes ? bytes : 0;
    }

    /** @return the version of the cluster's last membership change, as the clock hash holds it; 0 if none */
    private static long clockVersion(RespConnection info, ClusterKeys keys) {
        Object reply = info.call("HGET", keys.clock(), "version");
        return reply == null ? 0 : Long.parseLong(reply.toString());
    }

    private static int behind(List<VirtualNode> survivors, long version) {
        int behind = 0;
        for (VirtualNode node : survivors) {
            if (node.member && node.cluster.view().version() < version) {
                behind++;
            }
        }
        return behind;
    }

    /** @return how many of the sorted values are below {@code limit} */
    static int countBelow(long[] sorted, long limit) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid] < limit) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int detected(List<VirtualNode> victims) {
        Map<String, Long> latest = new HashMap<>();
        for (Down down : downs) {
            latest.merge(down.nodeId, down.nanos, Math::max);
        }
        int detected = 0;
        for (VirtualNode victim : victims) {
            Long at = latest.get(victim.id);
            if (at != null && at >= victim.killedAt) {
                detected++;
            }
        }
        return detected;
    }

    /** Nearest-rank percentile of sorted nanosecond values, in ms; -1 when there are none. */
    static double millis(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(quantile * sortedNanos.length);
        return sortedNanos[Math.min(sortedNanos.length, Math.max(1, rank)) - 1] / 1e6;
    }

    private static int index(String nodeId) {
        return Integer.parseInt(nodeId.substring(nodeId.indexOf('-') + 1));
    }

    private static String[] delete(String keyPrefix) {
        List<String> del = new ArrayList<>();
        del.add("DEL");
        del.addAll(ClusterKeys.of(keyPrefix, "").all());
        return del.toArray(String[]::new);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long[] gcCounts() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    static void log(String format, Object... args) {
        System.err.println("[sim] " + String.format(Locale.ROOT, format, args));
    }
}
