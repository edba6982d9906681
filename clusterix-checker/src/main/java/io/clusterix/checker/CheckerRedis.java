package io.clusterix.checker;

import io.clusterix.checker.History.RedisKind;
import io.clusterix.fixture.RedisServerProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The run's redis-server: persistent (append-only file, fsync on every write, so that a SIGKILL loses no write that
 * was acknowledged), stalled with SIGSTOP/SIGCONT and restarted on the same port with its data. The one class that
 * uses the TCK's Redis fixture ({@link RedisServerProcess#binary()}: the embedded Redis 6.2 or
 * {@code CLUSTERIX_REDIS_SERVER}; {@link RedisServerProcess#freePort()}), so that a move of the fixture's package
 * changes one import here. Signals as the chaos suite sends them: {@code kill(1)}, since Java cannot send SIGSTOP.
 */
final class CheckerRedis implements AutoCloseable {
    private final int port = RedisServerProcess.freePort();
    private final Path dir;
    private final Recorder recorder;
    private volatile Process process;
    /** Kills the server if the JVM exits during a run (Ctrl-C, a killed test JVM), stopped or not. */
    private final Thread stopAtExit = new Thread(this::kill, "checker-redis-stop");
    private int starts;

    private CheckerRedis(Path dir, Recorder recorder) {
        this.dir = dir;
        this.recorder = recorder;
    }

    /**
     * @param dir      where its data and logs go
     * @param recorder where its faults are recorded
     * @return a running server
     */
    static CheckerRedis start(Path dir, Recorder recorder) {
        CheckerRedis redis = new CheckerRedis(dir, recorder);
        redis.launch();
        Runtime.getRuntime().addShutdownHook(redis.stopAtExit);
        return redis;
    }

    private synchronized void launch() {
        starts++;
        List<String> command = List.of(RedisServerProcess.binary().toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "notice",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!pong()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                throw new IllegalStateException("redis-server on port " + port + " did not answer PING (start "
                        + starts + "); see " + dir.resolve("redis.log"));
            }
            sleep(10);
        }
    }

    /** @return true if the server answers PING (not while it loads its append-only file) */
    private boolean pong() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[5];
            int read = in.readNBytes(reply, 0, reply.length);
            return read == 5 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** @return the URL clients connect to */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGSTOP: the server keeps its connections but answers nothing. */
    synchronized void stall() {
        signal("STOP");
        recorder.redis(RedisKind.STALLED);
    }

    /** SIGCONT. */
    synchronized void resume() {
        signal("CONT");
        recorder.redis(RedisKind.RESUMED);
    }

    /** SIGKILL, then a start on the same port and directory: the server loads its append-only file. */
    synchronized void restart() {
        RedisServerProcess.killAndWait(process);
        recorder.redis(RedisKind.KILLED);
        launch();
        recorder.redis(RedisKind.RESTARTED);
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + name, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // polling a child process's port: nothing to wait on but time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }

    private void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    /** Kills the server (SIGKILL needs no SIGCONT) and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException | IllegalArgumentException exiting) {
            // The JVM exits (the hook runs anyway) or it was removed already.
        }
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RedisServerProcess.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "redis-server pid " + (process == null ? "-" : process.pid()) + " on 127.0.0.1:" + port
                + " (AOF, appendfsync always, dir " + dir + ")";
    }
}
