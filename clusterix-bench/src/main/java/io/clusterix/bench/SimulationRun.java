package io.clusterix.bench;

import io.clusterix.ClusterKeys;
import io.clusterix.Clusterix;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RespConnection;
import io.clusterix.spi.ScriptedHeartbeatStore;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of the {@link ScaleSimulator}, in this JVM: one backend, N nodes, one Redis.
 *
 * <ol>
 *   <li>Waits for a quiet machine, starts Redis (or uses the given URL), opens the backend's client with K
 *       connections.</li>
 *   <li>JIT warm-up: a small cluster on other keys runs for a few seconds and is disposed, so that the N nodes do
 *       not start in a cold JVM (10,000 processes of a real cluster do not share one interpreter).</li>
 *   <li>Starts the N nodes spread over one heartbeat interval, waits until all joined, then the warm-up.</li>
 *   <li>Measures for the duration while it kills a sample spread over the window ({@link WindowSchedule}), waits
 *       for the last detections, and reads every figure: Redis's ({@link RedisStats}, {@link RedisKeys}), the
 *       client side's ({@link ClientWindow}), the listeners' ({@link NodeEvents}, {@link ViewTracker}).</li>
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
    private final NodeEvents events = new NodeEvents();
    private final Hiccups hiccups = new Hiccups();
    private final ViewTracker views = new ViewTracker();
    private RedisServerProcess server;

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
                    info.call(RedisKeys.delete(keyPrefix));
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
                .membershipView(s.views)
                .build();
        VirtualNode node = new VirtualNode(i, id, store, cluster);
        if (record && s.views) {
            // Tiny on purpose: every member gets every change, so this runs N times per change.
            cluster.onMembershipChanged(event -> views.applied(event, !node.victim, System.currentTimeMillis()));
        }
        if (record) {
            events.listen(cluster, i, id);
        }
        return node;
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
        info.call(RedisKeys.delete(keyPrefix));
    }

    private RunResult measure(Backend.SharedClients clients, RespConnection info, String keyPrefix,
                              List<VirtualNode> nodes, String started, double quietBefore) throws Exception {
        CallCounters counters = new CallCounters();
        long memoryBefore = RedisStats.read(info).usedMemory();
        for (int i = 0; i < n; i++) {
            nodes.add(node(clients, counters, keyPrefix, i, true));
        }

        // Start: spread over one heartbeat interval, as the processes of a real cluster would be (or over
        // --startup-s: a join returns the members and is a change every started member fetches, so N joins within
        // 500 ms are a storm Redis may not carry at large N).
        log("starting %d nodes over %d ms%s", n, TimeUnit.NANOSECONDS.toMillis(s.startOffsetNanos(n, n)),
                s.startupS > 0 && s.quadraticStartup ? ", node i at S(i/N)^2" : "");
        long startNanos = System.nanoTime();
        List<CompletableFuture<Void>> joins = new ArrayList<>(n);
        for (VirtualNode node : nodes) {
            CompletableFuture<Void> joined = new CompletableFuture<>();
            joins.add(joined);
            starter.schedule(() -> node.join().whenComplete((ok, error) -> {
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
        RedisStats redis0 = RedisStats.read(info);
        ClientWindow.Start client0 = ClientWindow.start(counters, hiccups);
        views.start();
        long t0Wall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        WindowSchedule schedule = new WindowSchedule(s, n, nodes);
        int killCount = schedule.killCount();
        int churn = schedule.churn();
        log("measuring %d s; killing %d nodes%s", s.durationS, killCount,
                churn > 0 ? " and starting " + churn + " new ones (churn " + s.churnPerMin + " of N per minute)" : "");
        if (s.redisPauseMs > 0) {
            schedule.pauseRedis(server, starter, t0 + TimeUnit.SECONDS.toNanos(s.durationS) / 2);
        }
        schedule.run(t0, i -> {
            VirtualNode joiner = node(clients, counters, keyPrefix, i, true);
            nodes.add(joiner);
            return joiner;
        });
        RedisStats redis1 = RedisStats.read(info);
        long t1Wall = System.currentTimeMillis();
        ClusterKeys keys = ClusterKeys.of(keyPrefix, "");
        RedisKeys.Footprint footprint = RedisKeys.footprint(info, keys);
        int membersAtEnd = schedule.members();
        ClientWindow client = client0.end();
        long tEnd = System.nanoTime();

        // Late detections of the last kills.
        long graceEnd = tEnd + TimeUnit.MILLISECONDS.toNanos(3 * (s.timeoutMs + s.pollMs) + 2000);
        while (System.nanoTime() < graceEnd && events.detected(schedule.victims()) < killCount) {
            Thread.sleep(50);
        }
        // Every surviving member should reach the cluster's last version within about one heartbeat.
        schedule.joinersSurvive();
        long lastVersion = RedisKeys.clockVersion(info, keys);
        long viewsEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * s.heartbeatMs + 2000);
        int behind;
        while ((behind = schedule.behind(lastVersion)) > 0 && System.nanoTime() < viewsEnd) {
            Thread.sleep(50);
        }
        Thread.sleep(100); // the last listeners' calls, queued after the views moved
        long[] joinVersions = schedule.joinVersions();
        int initialSurvivors = schedule.survivors() - joinVersions.length;
        int joinCount = schedule.joiners();
        int joinsDone = joinVersions.length;
        ViewTracker.Summary viewSummary = views.summarize(t0Wall, t1Wall,
                version -> initialSurvivors + countBelow(joinVersions, version));
        if (behind > 0) {
            log("%d surviving members were still behind version %d at the end of the wait", behind, lastVersion);
        }
        log("membership views: %s", viewSummary);
        List<NodeEvents.Down> downs = events.downs();
        long graceDone = System.nanoTime();
        int peakThreads = ManagementFactory.getThreadMXBean().getPeakThreadCount();
        // After the events are copied: a full GC may pause the nodes long enough to miss heartbeats.
        long heapWith = ClientWindow.heapAfterGc();

        // Detections and false downs.
        NodeEvents.Detections detections = NodeEvents.detections(downs, schedule.victims(), startNanos, t0, tEnd,
                s.connections);
        long[] fromKill = detections.fromKill();
        long[] fromHeartbeat = detections.fromHeartbeat();

        // Node-seconds of the window: a killed node counts until its kill.
        double nodeSeconds = 0;
        for (VirtualNode node : nodes) {
            if (node.member) {
                long end = node.killedAt != 0 ? Math.min(node.killedAt, tEnd) : tEnd;
                nodeSeconds += Math.max(0, end - Math.max(t0, node.joinedAt)) / 1e9;
            }
        }
        double windowNs = tEnd - t0;
        double clientCpu = client.cpuPct(windowNs);
        double redisCpu = redis1.cpuPercentSince(redis0);
        double machineCpu = client.machineCpuPct();
        double redisS = redis1.secondsSince(redis0);
        long scriptCalls = redis1.scriptCalls() - redis0.scriptCalls();
        long windowEvictions = events.evictionsBetween(t0, graceDone);
        long windowErrors = events.errorsBetween(t0, graceDone);
        // What the nodes cost: the heap with them running, less the heap once they are gone (same JVM, same clients).
        nodes.forEach(node -> node.cluster.dispose());
        nodes.clear();
        schedule.clear();
        Thread.sleep(s.timeoutMs); // replies still in flight
        long heapWithout = ClientWindow.heapAfterGc();
        double schedulerCpu = client.threadsPct("clusterix-scheduler-", windowNs);
        double callbackCpu = client.threadsPct("clusterix-callback-", windowNs);

        client.logStalls(t0);
        CallCounters.Snapshot calls = client.calls();
        log("calls in window: %s, failures %d; evictions %d in the window, %d before; errors %d in the window, %d"
                + " before; %d joins failed", calls.calls(), calls.failures(), windowEvictions,
                events.evictions() - windowEvictions, windowErrors, events.errors() - windowErrors, joinFailures);
        events.logErrorSamples();
        client.logThreads(windowNs);

        String label = (backend == Backend.JEDIS && s.jedisThreads > 0 ? "jedis-t" + s.jedisThreads : backend.id())
                + (s.views ? "" : "-noviews");
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
                detections.detected(), detections.duplicates(), millis(fromKill, 0.5), millis(fromKill, 0.99),
                millis(fromKill, 1.0), millis(fromHeartbeat, 0.5), millis(fromHeartbeat, 0.99),
                millis(fromHeartbeat, 1.0), detections.falseDowns(), windowEvictions, windowErrors,
                detections.startupFalseDowns(), events.evictions() - windowEvictions, startupS, clientCpu,
                schedulerCpu, Runtime.getRuntime().availableProcessors(), (heapWith - heapWithout) / 1024.0 / n,
                heapWith / 1024.0 / 1024.0, peakThreads, client.gcCount(), client.gcMillis(),
                client.stallNanos() / 1e6, client.hiccupNanos() / 1e6, redis1.connectedClients(), machineCpu,
                machineCpu < 0 ? -1 : Math.max(0, machineCpu - clientCpu - redisCpu), quietBefore, s.churnPerMin,
                joinCount, joinsDone, viewSummary.versions(),
                viewSummary.checked(), viewSummary.applies(), viewSummary.identical(), viewSummary.equal(),
                viewSummary.mismatched(), viewSummary.incomplete(), viewSummary.resyncEvents(), behind,
                viewSummary.p50Ms(), viewSummary.p99Ms(), viewSummary.maxMs(), redis1.usedMemory(),
                membersAtEnd == 0 ? -1 : (redis1.usedMemory() - memoryBefore) / (double) membersAtEnd,
                footprint.keysBytes(), footprint.historyBytes(), footprint.historyEntries(),
                footprint.metadataBytes(), callbackCpu, s.startupS,
                s.startupS <= 0 ? "linear" : s.quadraticStartup ? "quadratic" : "linear");
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

    /** Nearest-rank percentile of sorted nanosecond values, in ms; -1 when there are none. */
    static double millis(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(quantile * sortedNanos.length);
        return sortedNanos[Math.min(sortedNanos.length, Math.max(1, rank)) - 1] / 1e6;
    }

    static void log(String format, Object... args) {
        System.err.println("[sim] " + String.format(Locale.ROOT, format, args));
    }
}
