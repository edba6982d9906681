package io.clusterix.chaos;

import io.clusterix.Clusterix;
import io.clusterix.Member;
import io.clusterix.MembershipView;
import io.clusterix.examples.DemoNode;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.TreeMap;

/**
 * One node process of the chaos suite: joins a cluster and reports every event as one line on standard output, so
 * that a test can kill it with SIGKILL, stop it with SIGSTOP or run it under a shifted clock and still tell what it
 * saw, in order.
 *
 * <p>Usage: {@code ChaosNode <nodeId> <redis://host:port> <jedis|lettuce|redisson> [options]}, options:
 * {@code --heartbeat-ms N}, {@code --poll-ms N}, {@code --timeout-ms N} (the clusterix intervals; default the
 * library's defaults) and {@code --listener-sleep-ms N} (the node-down listener sleeps N ms between {@code DOWN} and
 * {@code HANDLED}, so that a test can kill this node in the middle of it).
 *
 * <p>Output, one line per event, flushed at once; node ids contain no spaces:
 * <pre>
 * START pid wallClockMillis          first line: the pid, and System.currentTimeMillis() as this JVM sees it
 * JOINED incarnation                 a member, after initializeNode() or after a rejoin following an eviction
 * DOWN nodeId incarnation reason delivery   the node-down listener started
 * HANDLED nodeId incarnation         the node-down listener returned
 * EVICTED lostIncarnation reason     this node learned that it lost its entry
 * STATE SUSPENDED|RECONNECTED|LOST   connection state changes
 * ERROR message                      a background failure (onError), on one line
 * NODES id,id,...                    reply to the command "nodes"
 * INCARNATION n                      reply to the command "incarnation"
 * VIEW version type incarnation resync|- viewDigest nodeId
 *                                    a membership change this node applied (nodeId: the member it concerns);
 *                                    viewDigest: a hash of the view after it (members, incarnations, metadata)
 * FATAL message                      initializeNode() failed; the process exits with status 3
 * </pre>
 * Commands on standard input: {@code nodes}, {@code incarnation}, {@code quit} (close(), that is a graceful leave,
 * then exit 0). End of input (the test JVM died) does the same as {@code quit}, so no node outlives its test.
 */
public final class ChaosNode {
    /** One writer for every thread, so that lines never interleave and each is flushed as it is written. */
    private static final PrintStream OUT =
            new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);

    private final Object joinedLock = new Object();
    private long lastReportedIncarnation;

    private ChaosNode() {
    }

    /**
     * @param args node id, Redis URL, backend, options
     * @throws Exception if standard input fails or the node is interrupted
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("Usage: ChaosNode <nodeId> <redis://host:port> <jedis|lettuce|redisson>"
                    + " [--heartbeat-ms N] [--poll-ms N] [--timeout-ms N] [--listener-sleep-ms N]");
            System.exit(2);
        }
        emit("START " + ProcessHandle.current().pid() + " " + System.currentTimeMillis());
        String nodeId = args[0];
        String url = args[1];
        Options options = Options.parse(args);
        // The same clients as the demo's nodes, closed by the helper: clusterix never closes the application's client.
        if (!DemoNode.withClient(args[2], url, client -> new ChaosNode().run(nodeId, client, options))) {
            System.err.println("Unknown backend '" + args[2] + "': use jedis, lettuce or redisson");
            System.exit(2);
        }
        System.exit(0);
    }

    private void run(String nodeId, Object client, Options options) throws IOException, InterruptedException {
        Clusterix.Builder builder = Clusterix.builder(client).nodeId(nodeId);
        if (options.heartbeat != null) {
            builder.heartbeatInterval(options.heartbeat);
        }
        if (options.poll != null) {
            builder.pollInterval(options.poll);
        }
        if (options.timeout != null) {
            builder.timeout(options.timeout);
        }
        Clusterix cluster = builder.build();
        cluster.onNodeDown(down -> {
            emit("DOWN " + down.nodeId() + " " + down.incarnation() + " " + down.reason() + " " + down.delivery());
            if (options.listenerSleepMillis > 0) {
                try {
                    // The scenario itself: a listener that takes this long, so that the test can kill this node
                    // while it runs.
                    Thread.sleep(options.listenerSleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    emit("ERROR listener interrupted");
                    return;
                }
            }
            emit("HANDLED " + down.nodeId() + " " + down.incarnation());
        });
        cluster.onEvicted(evicted -> emit("EVICTED " + evicted.lostIncarnation() + " " + evicted.reason()));
        cluster.onMembershipChanged(change -> emit("VIEW " + change.version() + " " + change.type() + " "
                + change.member().incarnation() + " " + (change.resync() ? "resync" : "-") + " "
                + Integer.toHexString(digest(change.view())) + " " + change.member().nodeId()));
        cluster.onConnectionStateChanged(state -> emit("STATE " + state));
        cluster.onError(error -> emit("ERROR " + oneLine(error)));
        try {
            cluster.initializeNode().join();
        } catch (RuntimeException e) {
            emit("FATAL initializeNode() failed: " + oneLine(e));
            cluster.dispose();
            System.exit(3);
        }
        reportIncarnation(cluster.incarnation());
        // There is no "rejoined" event: after an eviction the node rejoins on its own, and its incarnation changes
        // from 0 to a new value. Watching it is the only way to print JOINED for the rejoin as well.
        Thread watcher = new Thread(() -> watchIncarnation(cluster), "chaos-incarnation-watcher");
        watcher.setDaemon(true);
        watcher.start();
        try {
            serveCommands(cluster);
        } finally {
            cluster.close();
        }
    }

    private void watchIncarnation(Clusterix cluster) {
        while (true) {
            reportIncarnation(cluster.incarnation());
            try {
                Thread.sleep(5); // polling a getter: there is nothing to wait on
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void reportIncarnation(long incarnation) {
        synchronized (joinedLock) {
            if (incarnation != 0 && incarnation != lastReportedIncarnation) {
                lastReportedIncarnation = incarnation;
                emit("JOINED " + incarnation);
            }
        }
    }

    private static void serveCommands(Clusterix cluster) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            switch (line.trim()) {
                case "quit":
                    return;
                case "nodes":
                    cluster.nodes().whenComplete((ids, error) -> emit(error != null
                            ? "ERROR nodes() failed: " + oneLine(error) : "NODES " + String.join(",", ids)));
                    break;
                case "incarnation":
                    emit("INCARNATION " + cluster.incarnation());
                    break;
                default:
                    emit("ERROR unknown command '" + line.trim() + "'");
            }
        }
    }

    /** The same for equal views in every JVM: built from strings and numbers only. */
    private static int digest(MembershipView view) {
        StringBuilder text = new StringBuilder();
        for (Member member : view.members()) {
            text.append(member.nodeId()).append(':').append(member.incarnation()).append(':')
                    .append(new TreeMap<>(member.metadata())).append(';');
        }
        return text.toString().hashCode();
    }

    private static void emit(String line) {
        synchronized (OUT) {
            OUT.println(line);
            OUT.flush();
        }
    }

    private static String oneLine(Throwable error) {
        String text = error.toString();
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    /** The command-line options after the three positional arguments. */
    private static final class Options {
        Duration heartbeat;
        Duration poll;
        Duration timeout;
        long listenerSleepMillis;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 3; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + option + " needs a value");
                }
                long value = Long.parseLong(args[++i]);
                switch (option) {
                    case "--heartbeat-ms":
                        options.heartbeat = Duration.ofMillis(value);
                        break;
                    case "--poll-ms":
                        options.poll = Duration.ofMillis(value);
                        break;
                    case "--timeout-ms":
                        options.timeout = Duration.ofMillis(value);
                        break;
                    case "--listener-sleep-ms":
                        options.listenerSleepMillis = value;
                        break;
                    default:
                        throw new IllegalArgumentException("Unknown option " + option);
                }
            }
            return options;
        }
    }
}
