package io.clusterix.cli;

import io.clusterix.Clusterix;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchCommandTest extends CliTest {
    @Test
    void printsOneLinePerChangeAsItHappensWithTheLeader() throws Exception {
        Clusterix first = joined("first");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"watch", "--redis-url", redis.uri(), "--key-prefix", prefix, "--timeout",
                Long.toString(TIMEOUT_MS), "--poll-ms", "50"};
        Thread watching = new Thread(() -> ClusterixCli.execute(args, new PrintWriter(out), new PrintWriter(err),
                Map.of(), new BufferedReader(new StringReader(""))), "watch-under-test");
        watching.start();
        try {
            await().atMost(PATIENCE).until(() -> out.toString().contains("(Ctrl-C to stop)"));
            assertTrue(out.toString().startsWith("watching {" + prefix + "} at redis://"), out.toString());
            assertTrue(out.toString().contains("members [first], leader first"), out.toString());

            Clusterix second = joined("second");
            await().atMost(PATIENCE).until(() -> out.toString().matches("(?s).*JOINED\\s+second\\s+incarnation "
                    + second.incarnation() + "\\s+leader first.*"));
            long firstIncarnation = first.incarnation(); // 0 once disposed
            first.dispose();
            await().atMost(PATIENCE).until(() -> out.toString().matches("(?s).*TIMED_OUT\\s+first\\s+incarnation "
                    + firstIncarnation + "\\s+leader second.*"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("out: " + out + "\nerr: " + err, e);
        } finally {
            watching.interrupt();
            watching.join(PATIENCE.toMillis());
        }
        assertFalse(watching.isAlive());
        assertTrue(err.toString().contains("watch stopped"), err.toString());
    }

    /** A real process and a real SIGINT, as Ctrl-C sends it: the watch ends, closes its connection, says so. */
    @Test
    void ctrlCEndsTheWatchCleanly() throws Exception {
        joined("steady");
        List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"), ClusterixCli.class.getName(), "watch", "--redis-url",
                redis.uri(), "--key-prefix", prefix));
        Process process = new ProcessBuilder(command).start();
        List<String> stdout = new CopyOnWriteArrayList<>();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        CompletableFuture.runAsync(() -> new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(stdout::add));
        try {
            await().atMost(PATIENCE).until(() -> stdout.stream().anyMatch(l -> l.contains("(Ctrl-C to stop)")));
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor());
            assertTrue(process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "the watch did not end");
            assertEquals(WatchCommand.INTERRUPTED, process.exitValue());
            String errors = stderr.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(errors.contains("watch stopped"), errors);
            assertFalse(errors.contains("Exception"), errors);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
