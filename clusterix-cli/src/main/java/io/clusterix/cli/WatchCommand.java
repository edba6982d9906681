package io.clusterix.cli;

import io.lettuce.core.RedisException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code clusterix watch}: follows the membership history live, like {@code kubectl get -w}: one line per change, as
 * Redis records it, with the leader after it. Ends cleanly on Ctrl-C (SIGINT) or SIGTERM: the loop stops, the
 * connection is closed, and the exit status is 130.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follows the membership changes live, one line per change: version, time (UTC), type, node,"
                + " incarnation, leader. Ctrl-C to stop.")
final class WatchCommand extends ClusterCommand {
    /** Exit status after Ctrl-C, as shells report a process that SIGINT ended. */
    static final int INTERRUPTED = 130;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "200",
            description = "how often to look for new changes (default: ${DEFAULT-VALUE})")
    long pollMillis;

    @Option(names = "--json", description = "one JSON object per change")
    boolean json;

    private volatile boolean stopping;
    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    int run(RedisConnection redis, PrintWriter out) {
        Thread loop = Thread.currentThread();
        Thread hook = new Thread(() -> {
            stopping = true;
            loop.interrupt();
            try {
                closed.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "clusterix-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            follow(redis, out);
            err().println("watch stopped");
            err().flush();
        } finally {
            // The hook waits for this: the JVM ends only after the connection is closed.
            redis.close();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is what stopped us
            }
        }
        return INTERRUPTED;
    }

    private void follow(RedisConnection redis, PrintWriter out) {
        long timeout = connection.timeout().toMillis();
        ClusterState state = ClusterState.read(redis, timeout);
        Map<String, Long> view = new TreeMap<>(History.view(state));
        long known = state.version();
        out.println("watching " + redis.keys() + " at " + redis.where() + " from version " + known + ": members "
                + view.keySet() + ", leader " + orNone(History.leader(view)) + " (Ctrl-C to stop)");
        out.flush();
        boolean failing = false;
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            try {
                List<History.Change> changes = History.after(redis, known, 100);
                if (failing) {
                    err().println("Redis answers again");
                    failing = false;
                }
                if (!changes.isEmpty() && changes.get(0).version() != known + 1) {
                    state = ClusterState.read(redis, timeout);
                    view = new TreeMap<>(History.view(state));
                    out.println("(the history went on from version " + changes.get(0).version() + " after " + known
                            + ": Redis trimmed or lost changes; members now " + view.keySet() + ")");
                    known = state.version();
                    continue;
                }
                for (History.Change raw : changes) {
                    History.apply(view, raw);
                    History.Change change = new History.Change(raw.version(), raw.type(), raw.incarnation(),
                            raw.time(), raw.nodeId(), History.leader(view));
                    out.println(json ? Json.write(StateFormat.json(change)) : change.line());
                    known = change.version();
                }
                out.flush();
            } catch (RedisException e) {
                if (!failing) {
                    err().println(Failures.during("following " + redis.keys(), e).getMessage() + " Retrying.");
                    failing = true;
                }
            }
            try {
                Thread.sleep(Math.max(10, pollMillis));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String orNone(String leader) {
        return leader.isEmpty() ? "(none)" : leader;
    }
}
