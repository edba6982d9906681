package io.clusterix.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One {@link ChaosNode} JVM, and every line it printed. Signals go to the JVM's own pid, taken from its
 * {@code START} line: under {@code faketime} the child process is faketime, which forks the JVM.
 */
final class NodeProcess {
    private final ChaosCluster cluster;
    private final String nodeId;
    private final String label;
    private final Process process;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Writer stdin;
    private volatile boolean killedByTest;

    NodeProcess(ChaosCluster cluster, String nodeId, String label, Process process) {
        this.cluster = cluster;
        this.nodeId = nodeId;
        this.label = label;
        this.process = process;
        this.stdin = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "chaos-read-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
            for (String text = out.readLine(); text != null; text = out.readLine()) {
                add(text);
            }
        } catch (IOException | UncheckedIOException e) {
            add("OUTPUT-LOST " + e);
        }
        add(null);
    }

    private void add(String text) {
        Line line = new Line(this, System.nanoTime(), System.currentTimeMillis(), text);
        lines.add(line);
        cluster.record(line);
    }

    String nodeId() {
        return nodeId;
    }

    /** @return the node id and which start of that id this is, e.g. {@code n3/2} */
    String label() {
        return label;
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }


    /** @return the JVM's pid from its START line, waiting for it */
    long pid() {
        return Long.parseLong(cluster.awaitLine(ChaosCluster.START_LIMIT, label + " prints START",
                l -> l.node() == this && l.is("START")).args()[0]);
    }

    /** @return System.currentTimeMillis() as the node's JVM saw it, minus the test JVM's when it read the line */
    long clockOffsetMillis() {
        Line start = cluster.awaitLine(ChaosCluster.START_LIMIT, label + " prints START",
                l -> l.node() == this && l.is("START"));
        return Long.parseLong(start.args()[1]) - start.wall();
    }

    /** @return the incarnation of its latest JOINED line, 0 if none */
    long incarnation() {
        long incarnation = 0;
        for (Line line : lines) {
            if (line.is("JOINED")) {
                incarnation = Long.parseLong(line.args()[0]);
            }
        }
        return incarnation;
    }

    /** @return whether the output has ended (the process is gone) */
    boolean ended() {
        return !lines.isEmpty() && lines.get(lines.size() - 1).text() == null;
    }

    boolean killedByTest() {
        return killedByTest;
    }

    /**
     * SIGKILL, then waits until its output ends.
     *
     * @return System.nanoTime() just before the signal
     */
    long sigkill() {
        long pid = pid();
        killedByTest = true;
        long at = System.nanoTime();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly(); // the faketime wrapper, if any
        cluster.note("SIGKILL " + label);
        cluster.awaitLine(ChaosCluster.START_LIMIT, label + "'s output ends after SIGKILL",
                l -> l.node() == this && l.text() == null);
        return at;
    }

    /** @return System.nanoTime() just after SIGSTOP was delivered */
    long sigstop() {
        Signals.send("STOP", pid());
        cluster.note("SIGSTOP " + label);
        return System.nanoTime();
    }

    /** @return System.nanoTime() just after SIGCONT was delivered */
    long sigcont() {
        Signals.send("CONT", pid());
        cluster.note("SIGCONT " + label);
        return System.nanoTime();
    }

    /** Sends a command line to its standard input. */
    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send '" + command + "' to " + label, e);
        }
    }

    /** Kills it for good (the end of a scenario), even when stopped, and waits for it to exit. */
    void destroy() {
        killedByTest = true;
        lines.stream().filter(l -> l.is("START")).findFirst()
                .flatMap(start -> ProcessHandle.of(Long.parseLong(start.args()[0])))
                .ifPresent(ProcessHandle::destroyForcibly);
        process.descendants().forEach(ProcessHandle::destroyForcibly); // a JVM under faketime that printed nothing
        process.destroyForcibly();
        try {
            stdin.close();
        } catch (IOException ignored) {
            // it is gone
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    @Override
    public String toString() {
        return label;
    }
}
