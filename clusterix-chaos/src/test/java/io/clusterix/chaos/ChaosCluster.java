package io.clusterix.chaos;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The harness of one scenario: a {@link ChaosRedis}, the {@link ChaosNode} JVMs started against it, and every line
 * they printed, in the order the test read them. Waits are for lines, with deadlines; a node that ends without the
 * test having killed it fails the wait at once. On {@link #close()} every process is killed and the transcript and
 * the nodes' logs stay in {@code target/chaos/<backend>/<scenario>/}.
 */
final class ChaosCluster implements AutoCloseable {
    /** A JVM starting while five others run on two cores; Redisson is the slowest to start. */
    static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** Far above timeout + pollInterval: only a death that is never reported takes this long. */
    static final Duration DETECT_LIMIT = Duration.ofSeconds(20);

    private final String scenario;
    private final String backend = ChaosSettings.backend();
    private final Duration heartbeat;
    private final Duration poll;
    private final Duration timeout;
    private final Path dir;
    private final ChaosRedis redis;
    private final long startNanos = System.nanoTime();
    private final List<Line> all = new CopyOnWriteArrayList<>();
    private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> startsPerId = new HashMap<>();
    private final Thread killer = new Thread(this::killNodes, "chaos-kill-nodes");

    /**
     * A cluster whose nodes use the suite's intervals ({@link ChaosSettings}).
     *
     * @param scenario   a short name, used for the log directory
     * @param persistent whether Redis keeps its data across a restart (AOF, fsync always)
     */
    ChaosCluster(String scenario, boolean persistent) {
        this.scenario = scenario;
        this.heartbeat = ChaosSettings.heartbeat();
        this.poll = ChaosSettings.poll();
        this.timeout = ChaosSettings.timeout();
        this.dir = ChaosSettings.reportDir().resolve("chaos").resolve(backend).resolve(scenario).toAbsolutePath();
        try {
            deleteRecursively(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        // If the test JVM is stopped early, no node may outlive it; a stopped one would never read end of input.
        Runtime.getRuntime().addShutdownHook(killer);
        redis = ChaosRedis.start(dir, persistent);
        System.out.println("[chaos] " + scenario + ": " + backend + " backend, " + redis + ", " + redis.version()
                + ", heartbeat " + heartbeat.toMillis() + " ms, poll " + poll.toMillis() + " ms, timeout "
                + timeout.toMillis() + " ms; logs in " + dir);
    }

    ChaosRedis redis() {
        return redis;
    }

    String backend() {
        return backend;
    }

    Duration timeout() {
        return timeout;
    }

    Duration poll() {
        return poll;
    }

    Duration heartbeat() {
        return heartbeat;
    }

    Path dir() {
        return dir;
    }

    /**
     * How long to keep watching after the last expected event before counting: longer than a timeout plus a few
     * polls, so that a duplicate or late report would have been printed.
     */
    Duration quietPeriod() {
        return timeout.plus(poll.multipliedBy(5)).plusSeconds(1);
    }

    /**
     * Starts a node JVM.
     *
     * @param nodeId    its id
     * @param extraArgs more {@link ChaosNode} options, e.g. {@code --listener-sleep-ms 2000}
     * @return the process (it has not joined yet: see {@link #awaitJoined})
     */
    NodeProcess start(String nodeId, String... extraArgs) {
        return launch(nodeId, null, extraArgs);
    }

    /**
     * Starts a node JVM under {@code faketime}, its wall clock shifted.
     *
     * @param nodeId its id
     * @param shift  a faketime offset, e.g. {@code +5s} or {@code -5s}
     * @return the process
     */
    NodeProcess startShifted(String nodeId, String shift) {
        return launch(nodeId, shift, new String[0]);
    }

    private synchronized NodeProcess launch(String nodeId, String clockShift, String[] extraArgs) {
        int start = startsPerId.merge(nodeId, 1, Integer::sum);
        String label = nodeId + "/" + start;
        List<String> command = new ArrayList<>();
        if (clockShift != null) {
            // -m: the multi-threaded libfaketime, for a JVM. -f: "+5s" is an offset from the real time that keeps
            // running, not a frozen date.
            command.addAll(List.of(faketime(), "-m", "-f", clockShift));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small, quick-starting JVMs: six of them share two cores with Redis and the test.
                "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", nodeClassPath(), ChaosNode.class.getName(), nodeId, redis.url(), backend,
                "--heartbeat-ms", Long.toString(heartbeat.toMillis()), "--poll-ms", Long.toString(poll.toMillis()),
                "--timeout-ms", Long.toString(timeout.toMillis())));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(dir.resolve(label.replace('/', '-') + ".log").toFile());
        if (clockShift != null) {
            // Fake only the wall clock: System.nanoTime (CLOCK_MONOTONIC) stays real, or the JVM's timers and
            // timeouts would jump too, which is not the scenario (and can hang a JVM).
            builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
            // libfaketime 0.9.10's "monotonic fix" rewrites pthread_cond_timedwait: a JVM under it burns a core and
            // its 100 ms timers fire up to 850 ms late, so the node misses heartbeats because of the tool, not the
            // clock. Measured here: 2.3 s of CPU and gaps of 263-850 ms in 3 s with the fix, 0.06 s and 113 ms without.
            builder.environment().put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        NodeProcess node = new NodeProcess(this, nodeId, label, process);
        nodes.add(node);
        return node;
    }

    /**
     * @return the faketime binary
     * @throws AssertionError naming the package to install, if there is none: a clock test that cannot shift the
     *                        clock must not pass
     */
    static String faketime() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, "faketime");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError("faketime is not installed (no executable 'faketime' in PATH="
                + System.getenv("PATH") + "): the clock-skew scenario needs it. Install it with"
                + " 'apt-get install faketime' (Debian/Ubuntu; CI does this) and run again.");
    }

    private static String nodeClassPath() {
        // Surefire runs tests from a manifest-only jar, so java.class.path is not the real class path.
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    void record(Line line) {
        all.add(line);
    }

    /** Adds what the test itself did to the transcript, e.g. "SIGKILL n3/1", as a line of "test". */
    void note(String text) {
        all.add(new Line(null, System.nanoTime(), System.currentTimeMillis(), "TEST " + text));
    }

    /** SIGSTOP of Redis, noted in the transcript. */
    void pauseRedis() {
        redis.pause();
        note("redis SIGSTOP");
    }

    /** SIGCONT of Redis, noted in the transcript. */
    void resumeRedis() {
        redis.resume();
        note("redis SIGCONT");
    }

    /** SIGKILL of Redis, noted in the transcript. */
    void killRedis() {
        redis.kill();
        note("redis SIGKILLed");
    }

    /** Starts Redis again with its data, noted in the transcript once it answers PING. */
    void restartRedisKeepingData() {
        redis.startKeepingData();
        note("redis restarted with its data, answers PING");
    }

    /** Starts Redis again without data, noted in the transcript once it answers PING. */
    void restartRedisEmpty() {
        redis.startEmpty();
        note("redis restarted empty, answers PING");
    }

    /** @return every line so far */
    List<Line> lines() {
        return List.copyOf(all);
    }

    /** @return every DOWN line so far, from every node */
    List<Line.Down> downs() {
        return all.stream().map(Line::down).filter(Objects::nonNull).collect(Collectors.toList());
    }

    /** @return the DOWN lines so far, from every node, for one death ({@code nodeId#incarnation}) */
    List<Line.Down> downsOf(String key) {
        return downs().stream().filter(d -> d.key().equals(key)).collect(Collectors.toList());
    }

    /** @return the lines of one type so far, from every node */
    List<Line> lines(String type) {
        return all.stream().filter(l -> l.is(type)).collect(Collectors.toList());
    }

    /**
     * Waits for the first line (printed so far or later) that matches.
     *
     * @param limit  the deadline
     * @param what   what is awaited, for the failure message
     * @param wanted the line
     * @return the line
     * @throws AssertionError at the deadline, or at once when a node ends that the test did not kill
     */
    Line awaitLine(Duration limit, String what, Predicate<Line> wanted) {
        return awaitValue(limit, what, () -> all.stream().filter(wanted).findFirst().orElse(null));
    }

    /**
     * Waits until {@code value} returns non-null.
     *
     * @return the value
     */
    <T> T awaitValue(Duration limit, String what, java.util.concurrent.Callable<T> value) {
        try {
            return Awaitility.await(what).atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .failFast("a node ended that the test did not kill", this::assertNoUnexpectedEnd)
                    .until(value, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not seen within " + limit.toMillis() + " ms. Last lines:\n"
                    + transcript(60) + "\nFull transcript and node logs: " + dir, e);
        } catch (TerminalFailureException e) {
            if (e.getCause() instanceof AssertionError) {
                throw (AssertionError) e.getCause();
            }
            throw e;
        }
    }

    private void assertNoUnexpectedEnd() {
        for (NodeProcess node : nodes) {
            if (node.ended() && !node.killedByTest()) {
                throw new AssertionError(node.label() + " ended without being killed by the test (a crash); its"
                        + " last lines:\n" + node.lines().stream().skip(Math.max(0, node.lines().size() - 20))
                        .map(this::format).collect(Collectors.joining("\n")) + "\nits log (stderr): "
                        + dir.resolve(node.label().replace('/', '-') + ".log") + "\n" + tail(node, 40));
            }
        }
    }

    /** Waits until each node printed JOINED. */
    void awaitJoined(Collection<NodeProcess> joining) {
        for (NodeProcess node : joining) {
            awaitLine(START_LIMIT, node.label() + " prints JOINED", l -> l.node() == node && l.is("JOINED"));
        }
    }

    /**
     * Asks a node for {@code nodes()} and waits for the answer.
     *
     * @return the node ids it listed
     */
    Set<String> askNodes(NodeProcess node) {
        int mark = all.size();
        node.send("nodes");
        Line reply = awaitValue(Duration.ofSeconds(10), node.label() + " answers 'nodes'", () -> {
            List<Line> lines = lines();
            return lines.subList(mark, lines.size()).stream().filter(l -> l.node() == node && l.is("NODES"))
                    .findFirst().orElse(null);
        });
        String[] args = reply.args();
        return args.length == 0 || args[0].isEmpty() ? Set.of() : new TreeSet<>(List.of(args[0].split(",")));
    }

    /**
     * Waits until every given node's {@code nodes()} lists exactly the given nodes' ids.
     */
    void awaitMembership(Collection<NodeProcess> members, Duration limit) {
        Set<String> expected = members.stream().map(NodeProcess::nodeId).collect(Collectors.toCollection(TreeSet::new));
        for (NodeProcess node : members) {
            AtomicReference<Set<String>> last = new AtomicReference<>();
            try {
                Awaitility.await().atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                        .failFast("a node ended that the test did not kill", this::assertNoUnexpectedEnd)
                        .until(() -> {
                            last.set(askNodes(node));
                            return last.get();
                        }, expected::equals);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(node.label() + "'s nodes() did not become " + expected + " within "
                        + limit.toMillis() + " ms; last answer " + last.get() + ". Last lines:\n" + transcript(60), e);
            } catch (TerminalFailureException e) {
                if (e.getCause() instanceof AssertionError) {
                    throw (AssertionError) e.getCause();
                }
                throw e;
            }
        }
    }

    /**
     * Lets time pass because the scenario is a duration ("keep Redis stopped for 3 s", "watch for a quiet period"),
     * not to wait for something to happen.
     */
    void hold(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** @return milliseconds from the start of this scenario to the given nanoTime */
    long at(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
    }

    String format(Line line) {
        return String.format("%8d ms  %-7s %s", at(line.nanos()), line.node() == null ? "test" : line.node().label(),
                line.text() == null ? "(output ended)" : line.text());
    }

    /** @return the last {@code count} lines, formatted */
    String transcript(int count) {
        List<Line> lines = lines();
        return lines.stream().skip(Math.max(0, lines.size() - count)).map(this::format)
                .collect(Collectors.joining("\n"));
    }

    /** @return the given lines, formatted */
    String show(Collection<Line> lines) {
        return lines.stream().map(this::format).collect(Collectors.joining("\n"));
    }

    private String tail(NodeProcess node, int count) {
        try {
            List<String> log = Files.readAllLines(dir.resolve(node.label().replace('/', '-') + ".log"));
            return String.join("\n", log.subList(Math.max(0, log.size() - count), log.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void killNodes() {
        for (NodeProcess node : nodes) {
            node.destroy();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** Kills every node and Redis, and writes the transcript. */
    @Override
    public void close() {
        killNodes();
        List<String> histories = HistoryCheck.problems(lines());
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try {
            Files.writeString(dir.resolve("transcript.txt"), show(lines()) + "\n");
        } catch (IOException e) {
            System.out.println("[chaos] cannot write the transcript of " + scenario + ": " + e);
        }
        // Every scenario, whatever its faults: the node processes' membership histories are identical.
        if (!histories.isEmpty()) {
            throw new AssertionError("the membership histories of " + scenario + " differ:\n"
                    + String.join("\n", histories));
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
