package io.clusterix.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node JVMs whose wall clock is 5 s off, by Debian's {@code faketime}: one 5 s ahead, one 5 s behind, two right.
 * clusterix reads only the Redis server's clock, so for a while nothing may be reported down; then a right node and
 * the fast node are killed, and each death must be reported exactly once, whoever claims it. The test first checks
 * that the shifted JVMs really see the shifted time: otherwise it would prove nothing.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClockSkewTest {
    private static final Duration WATCH = Duration.ofSeconds(10);
    private static final long SHIFT_MILLIS = 5_000;
    /** Reading a START line takes milliseconds; a JVM that ignored faketime would be 5000 ms off. */
    private static final long TOLERANCE_MILLIS = 1_000;

    @Test
    void nodesWithClocksFiveSecondsOffCauseNoFalseNodeDown() {
        ChaosCluster.faketime(); // fails with the package to install, before anything starts
        try (ChaosCluster cluster = new ChaosCluster("clock-skew", false)) {
            NodeProcess right1 = cluster.start("n1");
            NodeProcess right2 = cluster.start("n2");
            NodeProcess ahead = cluster.startShifted("n3-ahead", "+5s");
            NodeProcess behind = cluster.startShifted("n4-behind", "-5s");
            List<NodeProcess> nodes = List.of(right1, right2, ahead, behind);
            cluster.awaitJoined(nodes);

            Map<NodeProcess, Long> offsets = new LinkedHashMap<>();
            for (NodeProcess node : nodes) {
                offsets.put(node, node.clockOffsetMillis());
            }
            String offsetText = offsets.entrySet().stream().map(e -> e.getKey().nodeId() + " " + signed(e.getValue())
                    + " ms").collect(Collectors.joining(", "));
            assertAll("the JVMs must see the clocks the scenario says (FAKETIME_DONT_FAKE_MONOTONIC=1, faketime -f)",
                    () -> assertNear(offsets.get(right1), 0, right1),
                    () -> assertNear(offsets.get(right2), 0, right2),
                    () -> assertNear(offsets.get(ahead), SHIFT_MILLIS, ahead),
                    () -> assertNear(offsets.get(behind), -SHIFT_MILLIS, behind));

            cluster.hold(WATCH); // the scenario: run with skewed clocks for a while
            cluster.awaitMembership(nodes, Duration.ofSeconds(10));
            int quietDowns = cluster.downs().size();

            List<String> problems = new ArrayList<>();
            List<String> killed = new ArrayList<>();
            List<Long> detection = new ArrayList<>();
            for (NodeProcess victim : List.of(right1, ahead)) {
                String key = victim.nodeId() + "#" + victim.incarnation();
                killed.add(key);
                long at = victim.sigkill();
                Line.Down down = cluster.awaitLine(ChaosCluster.DETECT_LIMIT, "a survivor reports " + key + " down",
                        l -> l.down() != null && l.down().key().equals(key)).down();
                detection.add(TimeUnit.NANOSECONDS.toMillis(down.line().nanos() - at));
                // Before the next kill: the claimer of this death releases its claim at its next heartbeat. Killing
                // it sooner (the fast node may be the claimer) would rightly re-deliver the death, which is another
                // scenario (ListenerHandoffTest).
                cluster.hold(cluster.quietPeriod());
            }
            for (String key : killed) {
                List<Line.Down> reports = cluster.downsOf(key);
                if (reports.size() != 1 || reports.get(0).delivery() != 1) {
                    problems.add(key + " was not reported exactly once (delivery 1):\n"
                            + cluster.show(SigstopNodeTest.lines(reports)));
                }
            }
            List<Line.Down> falseDowns = cluster.downs().stream().filter(d -> !killed.contains(d.key()))
                    .collect(Collectors.toList());
            List<Line> evictions = cluster.lines("EVICTED");
            String reporters = killed.stream().map(k -> cluster.downsOf(k).stream()
                    .map(d -> d.reporter().nodeId()).collect(Collectors.joining("+"))).collect(Collectors.joining(", "));
            String observed = "clock offsets seen by the JVMs: " + offsetText + "; " + WATCH.toSeconds() + " s: "
                    + quietDowns + " node-down; then kills of n1 and n3-ahead reported " + killed.stream()
                    .mapToInt(k -> cluster.downsOf(k).size()).mapToObj(Integer::toString)
                    .collect(Collectors.joining(" and ")) + " time(s), by " + reporters + ", " + detection.get(0)
                    + " and " + detection.get(1) + " ms after the kill; " + falseDowns.size() + " false node-down, "
                    + evictions.size() + " evictions";
            boolean passed = problems.isEmpty() && falseDowns.isEmpty() && evictions.isEmpty();
            ReliabilityReport.record(cluster, "6", "Node JVMs with the wall clock 5 s off (faketime -f +5s / -5s;"
                    + " 2 of 4 nodes), then SIGKILL of a right node and of the fast node", "1 run, "
                    + WATCH.toSeconds() + " s + 2 kills", "0 false node-down, 0 evictions; each kill reported"
                    + " exactly once", observed, passed);

            assertAll(
                    () -> assertTrue(falseDowns.isEmpty(), () -> "False node-down with skewed clocks:\n"
                            + cluster.show(SigstopNodeTest.lines(falseDowns)) + "\nTranscript: " + cluster.dir()),
                    () -> assertTrue(evictions.isEmpty(), () -> "Evictions with skewed clocks:\n"
                            + cluster.show(evictions)),
                    () -> assertTrue(problems.isEmpty(), () -> String.join("\n", problems)));
        }
    }

    private static void assertNear(long offset, long expected, NodeProcess node) {
        assertTrue(Math.abs(offset - expected) <= TOLERANCE_MILLIS, () -> node.label() + "'s JVM clock is "
                + signed(offset) + " ms off the test's, expected " + signed(expected) + " ms (+-" + TOLERANCE_MILLIS
                + "): faketime did not shift it as intended, so this run proves nothing");
    }

    private static String signed(long millis) {
        return (millis >= 0 ? "+" : "") + millis;
    }
}
