package io.clusterix.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, without persistence, killed with its JVM.
 *
 * <p>The binary is, in this order: the path in the environment variable {@value #SERVER_ENV}; or the
 * {@code redis-server} shipped inside {@code com.github.codemonstur:embedded-redis} (Redis 6.2), extracted once per
 * machine into the temporary directory.
 */
public final class RedisServerProcess implements AutoCloseable {
    /** Environment variable (or system property) naming another redis-server binary. */
    public static final String SERVER_ENV = "CLUSTERIX_REDIS_SERVER";

    private final Process process;
    private final int port;
    private final Path dir;

    private RedisServerProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts a server on a free port and waits until it accepts connections.
     *
     * @param extraArgs more {@code redis-server} arguments, e.g. {@code "--requirepass", "secret"}
     * @return the running server
     */
    public static RedisServerProcess start(String... extraArgs) {
        return start(freePort(), extraArgs);
    }

    /**
     * Starts a server on the given port and waits until it accepts connections.
     *
     * @param port      the port
     * @param extraArgs more {@code redis-server} arguments
     * @return the running server
     */
    public static RedisServerProcess start(int port, String... extraArgs) {
        return launch(port, null, extraArgs);
    }

    /**
     * Starts a server with a configuration file (the first argument of {@code redis-server}, as a Sentinel needs:
     * {@code startWithConfig(port, sentinelConf, "--sentinel")}) on the given port and waits until it accepts
     * connections. The file must be writable: a Sentinel rewrites it.
     *
     * @param port      the port
     * @param config    the configuration file
     * @param extraArgs more {@code redis-server} arguments
     * @return the running server
     */
    public static RedisServerProcess startWithConfig(int port, Path config, String... extraArgs) {
        return launch(port, config, extraArgs);
    }

    private static RedisServerProcess launch(int port, Path config, String... extraArgs) {
        Path binary = binary();
        try {
            Path dir = Files.createTempDirectory("clusterix-redis-" + port + "-");
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            if (config != null) {
                command.add(config.toString());
            }
            command.addAll(List.of("--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    "--daemonize", "no", "--loglevel", "warning"));
            command.addAll(List.of(extraArgs));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            RedisServerProcess server = new RedisServerProcess(process, port, dir);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "clusterix-redis-stop-" + port));
            server.awaitReady(Duration.ofSeconds(20));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + binary + " on port " + port, e);
        }
    }

    private void awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port
                        + "; its log: " + log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20); // polling a child process's port: nothing to wait on but time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for redis-server", e);
                }
            }
        }
        close();
        throw new IllegalStateException("redis-server did not accept connections on port " + port + " within "
                + limit + "; its log: " + log());
    }

    /** @return the contents of the server's log */
    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** @return the endpoint */
    public RedisEndpoint endpoint() {
        return RedisEndpoint.of("127.0.0.1", port);
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return the server process */
    public Process process() {
        return process;
    }

    /** @return the directory the server runs in (its log, and {@code nodes.conf} of a cluster node) */
    public Path dir() {
        return dir;
    }

    /** @return true while the process runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the server (SIGKILL), waits for it to exit and deletes its directory. Idempotent. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            if (process.waitFor(10, TimeUnit.SECONDS)) {
                deleteTree(dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deletes a directory this fixture created, with what is in it; best effort (a file that cannot be deleted stays,
     * in the system's temporary directory).
     *
     * @param dir the directory; nothing happens if it does not exist
     */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort: the directory is in the system's temporary directory.
        }
    }

    /** @return a TCP port that was free a moment ago on 127.0.0.1 */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * @return the redis-server binary to run: {@value #SERVER_ENV} if set, else the embedded one
     */
    public static synchronized Path binary() {
        String configured = System.getProperty(SERVER_ENV, System.getenv(SERVER_ENV));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured.trim());
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(SERVER_ENV + "=" + configured + " is not an executable file");
            }
            return path;
        }
        String resource = embeddedResource();
        java.net.URL url = RedisServerProcess.class.getResource("/" + resource);
        if (url == null) {
            throw new IllegalStateException("No " + resource + " in the class path: add"
                    + " com.github.codemonstur:embedded-redis, or set " + SERVER_ENV + " to a redis-server binary,"
                    + " or CLUSTERIX_REDIS_URL to a running server");
        }
        // Named by platform only: embedded-redis' resource names carry a version ("6.2.6-v5") that is not the one the
        // binary reports (6.2.11); the fixture prints the version that runs. A binary of another size is replaced.
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "clusterix-embedded-redis-server-"
                + resource.replaceAll("^redis-server-[0-9.]+(-v[0-9]+)?-", ""));
        try (InputStream in = url.openStream()) {
            long size = url.openConnection().getContentLengthLong();
            if (Files.isExecutable(target) && Files.size(target) == size) {
                return target;
            }
            Path tmp = Files.createTempFile(target.getParent(), "clusterix-redis", ".part");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            if (!tmp.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + tmp + " executable");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract " + resource + " to " + target, e);
        }
    }

    private static String embeddedResource() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IllegalStateException("embedded-redis ships no redis-server for " + os + "/" + arch + "; set "
                + SERVER_ENV + " to a redis-server binary or CLUSTERIX_REDIS_URL to a running server");
    }

    @Override
    public String toString() {
        return "redis-server pid " + process.pid() + " on 127.0.0.1:" + port + " (dir " + dir + ")";
    }
}
