package io.clusterix.examples;

import io.clusterix.fixture.RedisServerProcess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Shows in one command what clusterix is for: three {@link DemoNode} processes share a Redis server, one of them is
 * killed with SIGKILL, and a survivor prints {@code node3 is down, [node1, node2] are still up}. Then the survivors
 * leave one after the other, so the graceful path is seen too: the last one hears that the other left.
 *
 * <p>The nodes are real child JVMs, because a thread cannot be SIGKILLed, and a demo that only calls
 * {@code close()} would show the easy case. Every step waits for what the nodes print, with a deadline, rather than
 * for a fixed time: a slow machine only makes the demo slower, and a step that does not happen is named, the
 * children are killed and the exit status is 1.
 *
 * <p>Options: {@code --redis-url redis://host:port} (default: a redis-server started for the demo on a free loopback
 * port, from the binary shipped in embedded-redis, and stopped at the end) and {@code --backend jedis|lettuce|redisson}
 * (default jedis). From the repository root: {@code ./mvnw -q -DskipTests -Ddemo verify}, with
 * {@code -Ddemo.args="--backend lettuce"} for other options.
 */
public final class Demo {
    private static final List<String> NODE_IDS = List.of("node1", "node2", "node3");
    private static final List<String> BACKENDS = List.of("jedis", "lettuce", "redisson");
    /** Three JVMs starting at once on a small machine, Redisson's the slowest: generous. */
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(60);
    /** The default timeout is 1 s and the poll interval 500 ms: a survivor should tell within about 1.5 s. */
    private static final Duration DOWN_LIMIT = Duration.ofSeconds(10);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(10);

    /** One line of a node's output; {@code text} is null when the node's output ended. */
    private record Line(String nodeId, String text) {
    }

    /** A step that did not happen; its message says which. */
    private static final class DemoFailure extends Exception {
        private static final long serialVersionUID = 1L;

        DemoFailure(String message) {
            super(message);
        }
    }

    // Concurrent: the shutdown hook may read them while main still adds to them.
    private final Map<String, Process> nodes = new ConcurrentHashMap<>();
    private final List<Thread> forwarders = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    /** Every line {@link #await} took from {@link #lines}, since the last clear: a later step may look for one. */
    private final List<Line> read = new CopyOnWriteArrayList<>();
    /** Set by the shutdown hook: the nodes die because this JVM is stopping (Ctrl-C), not because they failed. */
    private volatile boolean stopping;

    private Demo() {
    }

    /**
     * @param args {@code [--redis-url redis://host:port] [--backend jedis|lettuce|redisson]}
     */
    public static void main(String[] args) {
        String redisUrl = null;
        String backend = "jedis";
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if ((option.equals("--redis-url") || option.equals("--backend")) && i + 1 < args.length) {
                String value = args[++i];
                if (option.equals("--redis-url")) {
                    redisUrl = value;
                } else {
                    backend = value;
                }
            } else {
                usage("Unknown or incomplete option '" + option + "'");
            }
        }
        if (!BACKENDS.contains(backend)) {
            usage("Unknown backend '" + backend + "'");
        }

        RedisServerProcess server = null;
        if (redisUrl == null) {
            server = RedisServerProcess.start();
            redisUrl = server.endpoint().uri();
            System.out.println("Started redis-server (pid " + server.process().pid() + ") on " + redisUrl);
        }
        Demo demo = new Demo();
        String outcome = "Demo finished.";
        try {
            demo.run(redisUrl, backend);
        } catch (DemoFailure e) {
            outcome = "Demo FAILED: " + (demo.stopping ? "stopped from outside" : e.getMessage());
        } catch (InterruptedException e) {
            outcome = "Demo FAILED: interrupted";
        } finally {
            demo.killRemaining();
            if (server != null) {
                server.close();
            }
        }
        System.out.println(outcome);
        System.exit(outcome.startsWith("Demo FAILED") ? 1 : 0);
    }

    private static void usage(String problem) {
        System.err.println(problem + ".\nUsage: Demo [--redis-url redis://host:port] [--backend "
                + String.join("|", BACKENDS) + "]\n  default: an embedded redis-server, and jedis");
        System.exit(2);
    }

    private void run(String redisUrl, String backend) throws DemoFailure, InterruptedException {
        System.out.println("Starting " + NODE_IDS + " with the " + backend + " backend on " + redisUrl);
        // If this JVM is stopped early (Ctrl-C), its nodes must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            killRemaining();
        }, "demo-kill-nodes"));
        for (String nodeId : NODE_IDS) {
            launch(nodeId, redisUrl, backend);
        }

        Set<String> joined = new TreeSet<>();
        long joinDeadline = deadline(JOIN_LIMIT);
        while (joined.size() < NODE_IDS.size()) {
            Line line = await(joinDeadline, Set.copyOf(NODE_IDS), l -> "joined".equals(l.text()));
            if (line == null) {
                Set<String> missing = new TreeSet<>(NODE_IDS);
                missing.removeAll(joined);
                throw new DemoFailure(missing + " did not print 'joined' within " + JOIN_LIMIT.toSeconds() + " s");
            }
            joined.add(line.nodeId());
        }

        String victim = NODE_IDS.get(NODE_IDS.size() - 1);
        List<String> survivors = NODE_IDS.subList(0, NODE_IDS.size() - 1);
        lines.clear(); // only what the survivors say after the kill counts
        read.clear();
        Process victimProcess = nodes.get(victim);
        System.out.println("Killing " + victim + " (pid " + victimProcess.pid() + ") with SIGKILL");
        long killed = System.nanoTime();
        victimProcess.destroyForcibly();
        Line down = await(deadline(DOWN_LIMIT), Set.copyOf(survivors),
                l -> survivors.contains(l.nodeId()) && l.text() != null && l.text().startsWith(victim + " is down"));
        if (down == null) {
            throw new DemoFailure("no survivor of " + survivors + " printed '" + victim + " is down' within "
                    + DOWN_LIMIT.toSeconds() + " s of the kill");
        }
        System.out.println(down.nodeId() + " reported " + victim + " down "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed) + " ms after the kill");
        for (String survivor : survivors) {
            // Every survivor applies the same change: news for everyone, where the node-down went to one.
            Predicate<Line> timedOut = l -> survivor.equals(l.nodeId()) && l.text() != null
                    && l.text().startsWith("view ") && l.text().contains(": TIMED_OUT " + victim);
            if (read.stream().noneMatch(timedOut) && await(deadline(DOWN_LIMIT), Set.of(survivor), timedOut) == null) {
                throw new DemoFailure(survivor + " did not print the TIMED_OUT of " + victim + " in its view within "
                        + DOWN_LIMIT.toSeconds() + " s of the kill");
            }
        }

        for (int i = 0; i < survivors.size(); i++) {
            String leaving = survivors.get(i);
            List<String> staying = survivors.subList(i + 1, survivors.size());
            System.out.println("Stopping " + leaving + " gracefully (quit on its stdin)");
            quit(leaving);
            awaitExit(leaving);
            if (!staying.isEmpty()) {
                Line left = await(deadline(DOWN_LIMIT), Set.copyOf(staying),
                        l -> l.text() != null && l.text().startsWith(leaving + " is down"));
                if (left == null) {
                    throw new DemoFailure("none of " + staying + " printed '" + leaving + " is down' within "
                            + DOWN_LIMIT.toSeconds() + " s of its leaving");
                }
            }
        }
    }

    /** Starts a node in a JVM with this class path, and a thread that prefixes and forwards its output. */
    private void launch(String nodeId, String redisUrl, String backend) throws DemoFailure {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The nodes' INFO logs would drown the lines that matter; warnings and stack traces still show.
        String logLevel = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<String> command = List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel,
                "-cp", System.getProperty("java.class.path"), DemoNode.class.getName(), nodeId, redisUrl, backend);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new DemoFailure("cannot start " + nodeId + " with " + java + ": " + e);
        }
        nodes.put(nodeId, process);
        Thread forwarder = new Thread(() -> forward(nodeId, process), "demo-output-" + nodeId);
        forwarder.setDaemon(true);
        forwarder.start();
        forwarders.add(forwarder);
    }

    private void forward(String nodeId, Process process) {
        try (BufferedReader output = process.inputReader()) {
            for (String text = output.readLine(); text != null; text = output.readLine()) {
                System.out.println("[" + nodeId + "] " + text);
                lines.add(new Line(nodeId, text));
            }
        } catch (IOException e) {
            System.out.println("[" + nodeId + "] (output lost: " + e + ")");
        } catch (UncheckedIOException e) {
            System.out.println("[" + nodeId + "] (output lost: " + e.getCause() + ")");
        }
        lines.add(new Line(nodeId, null));
    }

    /**
     * Waits for the first line that matches. Nodes in {@code mustLive} that end their output fail the demo at once,
     * with their exit status, rather than after the deadline.
     *
     * @return the line, or null at the deadline
     */
    private Line await(long deadline, Set<String> mustLive, Predicate<Line> wanted)
            throws DemoFailure, InterruptedException {
        while (true) {
            Line line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null) {
                read.add(line);
            }
            if (line == null || wanted.test(line)) {
                return line;
            }
            if (line.text() == null && mustLive.contains(line.nodeId())) {
                Process process = nodes.get(line.nodeId());
                process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                throw new DemoFailure(line.nodeId() + " ended unexpectedly"
                        + (process.isAlive() ? "" : " with exit status " + process.exitValue()));
            }
        }
    }

    private void quit(String nodeId) {
        try (Writer stdin = nodes.get(nodeId).outputWriter()) {
            stdin.write("quit\n");
        } catch (IOException e) {
            // It is already gone: awaitExit reports how it ended.
        }
    }

    private void awaitExit(String nodeId) throws DemoFailure, InterruptedException {
        Process process = nodes.get(nodeId);
        if (!process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new DemoFailure(nodeId + " did not exit within " + EXIT_LIMIT.toSeconds() + " s of 'quit'");
        }
        if (process.exitValue() != 0) {
            throw new DemoFailure(nodeId + " exited with status " + process.exitValue());
        }
    }

    /** Kills every node still running and waits for them, so that none outlives the demo. Idempotent. */
    private void killRemaining() {
        for (Process process : nodes.values()) {
            process.destroyForcibly();
        }
        for (Process process : nodes.values()) {
            try {
                process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Thread forwarder : forwarders) {
            try {
                forwarder.join(1000); // print the last lines of every node before the demo's own last line
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long deadline(Duration limit) {
        return System.nanoTime() + limit.toNanos();
    }
}
