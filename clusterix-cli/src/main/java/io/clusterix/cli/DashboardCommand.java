package io.clusterix.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * {@code clusterix dashboard}: a live web page of the cluster, served until Ctrl-C. Binds to 127.0.0.1 unless
 * {@code --bind} says otherwise: the page shows node ids and metadata to whoever reaches it, without a login.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serves a live web page: the members as a table, the leader, heartbeat ages as bars that turn"
                + " red near the timeout, a timeline of recent changes; updated without reload. Ctrl-C to stop.")
final class DashboardCommand extends ClusterCommand {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "the port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "the address to listen on (default: ${DEFAULT-VALUE}, this host only; 0.0.0.0 for all)")
    String bind;

    @Option(names = "--refresh-ms", paramLabel = "MS", defaultValue = "500",
            description = "how often the page is updated (default: ${DEFAULT-VALUE})")
    long refreshMillis;

    @Override
    int run(RedisConnection redis, PrintWriter out) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (DashboardServer server = new DashboardServer(redis, connection.timeout().toMillis(),
                new InetSocketAddress(bind, port), Math.max(50, refreshMillis))) {
            InetSocketAddress address = server.address();
            out.println("dashboard of " + redis.keys() + " at http://" + address.getHostString() + ":"
                    + address.getPort() + "/ (listening on " + bind + (bind.equals("127.0.0.1")
                    ? " only: this host; --bind 0.0.0.0 to serve other hosts" : ": every host that reaches it,"
                    + " without a login") + "). Ctrl-C to stop.");
            out.flush();
            Thread hook = new Thread(stopped::countDown, "clusterix-dashboard-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // The stop signal of a caller in this JVM, handled here: not passed on, so that closing the
                // connection's commands are not interrupted too.
                out.println("dashboard stopped");
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what stopped us
                }
            }
        }
        return 0;
    }
}
