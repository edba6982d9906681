package io.clusterix.snippets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A README program running in a JVM of its own, as a user runs it: {@code java -cp ... Main nodeId redisUrl}. Its
 * standard output and error (where slf4j-simple logs) are collected line by line.
 */
final class ProgramProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private ProgramProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::collect, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param program   the compiled program
     * @param classes   where its class is
     * @param classpath the application's class path
     * @param args      its arguments
     * @return the running process
     */
    static ProgramProcess start(ReadmeProgram program, Path classes, String classpath, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classes + java.io.File.pathSeparator + classpath, program.className()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().remove("PORT"); // the default node id would read it; every run names its node
            return new ProgramProcess(args.length > 0 ? args[0] : program.className(), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output ended: " + e + ")");
        }
    }

    /** @return the node id it was started with */
    String name() {
        return name;
    }

    /** @return every line it printed so far */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * @param fragment text to look for
     * @return true if a line it printed contains it
     */
    boolean printed(String fragment) {
        return lines.stream().anyMatch(line -> line.contains(fragment));
    }

    /**
     * Sends SIGTERM, as {@code kill PID}, a container runtime or a service manager does. Through the process handle:
     * {@link Process#destroy()} would also close the pipes, and what the JVM prints while it shuts down would be lost.
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** @return true once the process has exited */
    boolean exited() {
        return !process.isAlive();
    }

    /** @return its exit status; only after {@link #exited()} */
    int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + "), output:\n  " + String.join("\n  ", lines);
    }
}
