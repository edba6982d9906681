package io.clusterix.chaos;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RespConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server that a scenario may pause (SIGSTOP), kill and start again on the same port, with or without its
 * data. {@link RedisServerProcess} of the Redis fixture always starts without persistence in a fresh temporary directory and
 * stops with SIGKILL only; this launcher reuses its binary lookup (the embedded Redis 6.2, or
 * {@code CLUSTERIX_REDIS_SERVER}) and free-port helper, and controls the data directory and persistence itself.
 */
final class ChaosRedis implements AutoCloseable {
    private final int port;
    private final Path logDir;
    private Path dataDir;
    private boolean persistent;
    private Process process;
    private int starts;

    private ChaosRedis(int port, Path logDir) {
        this.port = port;
        this.logDir = logDir;
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @param logDir     where its data directories and logs go
     * @param persistent append-only file with fsync on every write (so a SIGKILL loses nothing), or no persistence
     * @return the running server
     */
    static ChaosRedis start(Path logDir, boolean persistent) {
        ChaosRedis redis = new ChaosRedis(RedisServerProcess.freePort(), logDir);
        redis.startProcess(persistent, true);
        return redis;
    }

    private synchronized void startProcess(boolean persistent, boolean freshData) {
        try {
            starts++;
            if (freshData || dataDir == null) {
                dataDir = Files.createDirectories(logDir.resolve("redis-data-" + starts));
            }
            this.persistent = persistent;
            List<String> command = new ArrayList<>(List.of(RedisServerProcess.binary().toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dataDir.toString(),
                    "--daemonize", "no", "--loglevel", "notice", "--save", ""));
            if (persistent) {
                command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
            } else {
                command.addAll(List.of("--appendonly", "no"));
            }
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logDir.resolve("redis-" + starts + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
        try {
            awaitReady(Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private void awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with status " + process.exitValue()
                        + "; see " + logDir);
            }
            try (RespConnection connection = new RespConnection(endpoint())) {
                if ("PONG".equals(connection.string("PING"))) {
                    return;
                }
            } catch (RuntimeException notYet) { // refused while starting, or LOADING while reading its AOF
                last = notYet;
            }
            try {
                Thread.sleep(20); // polling a child process's port: nothing to wait on but time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within " + limit
                + " (last error: " + last + "); see " + logDir);
    }

    /** Kills the server with SIGKILL (a crash: nothing is saved on the way out) and waits until it is gone. */
    synchronized void kill() {
        RedisServerProcess.killAndWait(process);
    }

    /** Starts the server again on the same port and directory, with the same persistence: it loads its data. */
    void startKeepingData() {
        startProcess(persistent, false);
    }

    /** Starts a server on the same port with an empty directory and no persistence: all data is gone. */
    void startEmpty() {
        startProcess(false, true);
    }

    /** SIGSTOP: the server keeps its connections open but answers nothing. */
    synchronized void pause() {
        Signals.send("STOP", process.pid());
    }

    /** SIGCONT. */
    synchronized void resume() {
        Signals.send("CONT", process.pid());
    }

    String url() {
        return endpoint().uri();
    }

    RedisEndpoint endpoint() {
        return RedisEndpoint.of("127.0.0.1", port);
    }

    /** @return e.g. "redis_version:7.0.15", asked from the running server */
    String version() {
        try (RespConnection connection = new RespConnection(endpoint())) {
            return connection.string("INFO", "server").lines().filter(l -> l.startsWith("redis_version:"))
                    .map(String::trim).findFirst().orElse("redis_version:?");
        }
    }

    synchronized long pid() {
        return process.pid();
    }

    /** Kills the server, even a stopped one (SIGKILL needs no SIGCONT). Idempotent. */
    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "redis-server pid " + (process == null ? "-" : process.pid()) + " on 127.0.0.1:" + port
                + (persistent ? " (AOF, appendfsync always)" : " (no persistence)");
    }
}
