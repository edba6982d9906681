package io.clusterix.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's web server, on the JDK's own HTTP server: {@code /} the page (plain HTML and JavaScript from this
 * jar), {@code /state} the members and recent changes as JSON, {@code /events} the same, pushed as server-sent events
 * every refresh. One thread reads Redis for all viewers.
 */
final class DashboardServer implements AutoCloseable {
    /** How many of the latest changes the page's timeline gets. */
    static final int TIMELINE = 50;

    private final RedisConnection redis;
    private final long timeout;
    private final HttpServer server;
    private final ScheduledExecutorService reader;
    private final ExecutorService handlers;
    private final List<LinkedBlockingQueue<String>> viewers = new CopyOnWriteArrayList<>();
    private volatile String latest;

    DashboardServer(RedisConnection redis, long timeout, InetSocketAddress address, long refreshMillis)
            throws IOException {
        this.redis = redis;
        this.timeout = timeout;
        this.latest = snapshot();
        this.server = HttpServer.create(address, 0);
        this.handlers = Executors.newCachedThreadPool(daemon("clusterix-dashboard-http"));
        server.setExecutor(handlers);
        server.createContext("/", this::page);
        server.createContext("/state", exchange -> send(exchange, 200, "application/json", latest));
        server.createContext("/events", this::events);
        this.reader = Executors.newSingleThreadScheduledExecutor(daemon("clusterix-dashboard-redis"));
        reader.scheduleWithFixedDelay(this::refresh, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
        server.start();
    }

    /** @return the address the server listens on (the port chosen, when 0 was asked for) */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private String snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            ClusterState state = ClusterState.read(redis, timeout);
            out.putAll(StateFormat.json(state));
            List<History.Change> changes = History.read(redis, timeout);
            out.put("history", changes.subList(Math.max(0, changes.size() - TIMELINE), changes.size()).stream()
                    .map(StateFormat::json).toList());
            out.put("error", null);
        } catch (CliException e) {
            out.put("error", e.getMessage());
        }
        out.put("redis", redis.where());
        return Json.write(out);
    }

    private void refresh() {
        try {
            latest = snapshot();
        } catch (RedisException | IllegalStateException e) {
            latest = Json.write(Map.of("error", String.valueOf(e.getMessage()), "redis", redis.where()));
        }
        for (LinkedBlockingQueue<String> viewer : viewers) {
            viewer.offer(latest);
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, "text/plain", "not found: the dashboard is at /");
            return;
        }
        try (InputStream in = DashboardServer.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("dashboard.html is missing from the jar: rebuild it"));
            }
            // Json escapes '<' and '>', so the state cannot end the script element it is written into.
            String page = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("/*state*/null", latest);
            send(exchange, 200, "text/html; charset=utf-8", page);
        }
    }

    /** Server-sent events: the state now, then at every refresh, until the viewer goes away. */
    private void events(HttpExchange exchange) throws IOException {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        queue.offer(latest);
        viewers.add(queue);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                String state = queue.poll(15, TimeUnit.SECONDS);
                // A comment line keeps an idle connection open through proxies.
                out.write((state == null ? ": idle\n\n" : "data: " + state + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException gone) {
            // the viewer closed the page, or the server stops
        } finally {
            viewers.remove(queue);
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        reader.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }
}
