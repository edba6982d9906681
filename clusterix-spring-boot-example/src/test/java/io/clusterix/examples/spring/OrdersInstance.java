package io.clusterix.examples.spring;

import io.clusterix.fixture.RedisServerProcess;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the example application in a JVM of its own, as a user runs it ({@code java -cp ...
 * OrdersApplication --server.port=...}), its output in a log file: what it prints, and {@code GET /members} over HTTP.
 */
final class OrdersInstance implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int port;
    private final Path log;
    private final Process process;

    private OrdersInstance(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * @param classpath the application's runtime class path
     * @param workDir   where the log file goes
     * @param arguments Spring Boot's arguments besides {@code --server.port}
     * @return the instance, starting
     */
    static OrdersInstance start(String classpath, Path workDir, List<String> arguments) {
        int port = RedisServerProcess.freePort();
        Path log = workDir.resolve("orders-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                OrdersApplication.class.getName(), "--server.port=" + port));
        command.addAll(arguments);
        try {
            Files.createDirectories(workDir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new OrdersInstance(port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** @return the HTTP port, which the default node id ends with */
    int port() {
        return port;
    }

    /** @return the node ids that this instance's {@code GET /members} lists, or none while it does not answer */
    List<String> members() {
        Object members = answer().get("members");
        if (members == null) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed = (List<Map<String, Object>>) members;
        return listed.stream().map(m -> String.valueOf(m.get("node"))).toList();
    }

    /** @return this instance's {@code GET /members} answer, or an empty map while it does not answer */
    Map<String, Object> answer() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/members")).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Map.of();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = JSON.readValue(response.body(), Map.class);
            return answer;
        } catch (IOException e) {
            return Map.of(); // not listening yet, or gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the lines it printed so far */
    List<String> lines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param text a fragment
     * @return whether a line it printed contains it
     */
    boolean printed(String text) {
        return lines().stream().anyMatch(line -> line.contains(text));
    }

    /** @return whether the JVM is gone */
    boolean exited() {
        return !process.isAlive();
    }

    /** SIGKILL: the JVM dies at once, without a shutdown hook, as in a crash. */
    void kill() {
        process.destroyForcibly();
    }

    /**
     * SIGTERM, as Ctrl-C or an orchestrator stops it: Spring Boot's shutdown hook closes the context.
     *
     * @param patience how long it may take to exit
     * @return its exit code
     */
    int terminate(Duration patience) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("orders on port " + port + " did not exit within " + patience + " of SIGTERM:\n"
                    + this);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** @return its port and the last lines it printed, for an assertion's message */
    @Override
    public String toString() {
        List<String> lines = lines();
        return "orders on port " + port + (exited() ? " (exited " + process.exitValue() + ")" : "") + ", last lines:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
