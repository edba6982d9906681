package io.clusterix.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGSTOP of a node for three timeouts, then SIGCONT: the survivors report the stopped incarnation down exactly once;
 * the node, once running again, is told it was evicted (DECLARED_DEAD, its old incarnation) and rejoins with a higher
 * incarnation that nobody reports down. Three rounds, a different node each time.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SigstopNodeTest {
    private static final int NODES = 4;
    private static final int ROUNDS = 3;

    @Test
    void aStoppedNodeIsReportedOnceToldItWasEvictedAndRejoinsWithAHigherIncarnation() {
        try (ChaosCluster cluster = new ChaosCluster("sigstop-node", false)) {
            List<NodeProcess> nodes = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                nodes.add(cluster.start("n" + i));
            }
            cluster.awaitJoined(nodes);
            Duration pause = cluster.timeout().multipliedBy(3);

            Map<String, NodeProcess> stopped = new LinkedHashMap<>(); // nodeId#incarnation -> the node
            Map<String, Long> rejoinedAs = new LinkedHashMap<>();
            List<Long> detection = new ArrayList<>();
            List<Long> rejoin = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                NodeProcess victim = nodes.get(round % NODES);
                long incarnation = victim.incarnation();
                String key = victim.nodeId() + "#" + incarnation;
                stopped.put(key, victim);
                int mark = cluster.lines().size();
                long stoppedAt = victim.sigstop();
                Line.Down down = cluster.awaitLine(ChaosCluster.DETECT_LIMIT, "a survivor reports " + key
                        + " down while it is stopped", l -> l.down() != null && l.down().key().equals(key)).down();
                detection.add(TimeUnit.NANOSECONDS.toMillis(down.line().nanos() - stoppedAt));
                long stoppedFor = System.nanoTime() - stoppedAt;
                if (stoppedFor < pause.toNanos()) {
                    cluster.hold(Duration.ofNanos(pause.toNanos() - stoppedFor)); // the scenario: 3 x timeout
                }
                long resumedAt = victim.sigcont();
                Line evicted = cluster.awaitLine(ChaosCluster.DETECT_LIMIT, victim.label() + " prints EVICTED after"
                        + " SIGCONT", l -> l.node() == victim && l.is("EVICTED") && cluster.lines().indexOf(l) >= mark);
                if (!evicted.text().equals("EVICTED " + incarnation + " DECLARED_DEAD")) {
                    problems.add(victim.label() + " printed '" + evicted.text() + "', expected 'EVICTED "
                            + incarnation + " DECLARED_DEAD'");
                }
                Line joined = cluster.awaitLine(ChaosCluster.DETECT_LIMIT, victim.label() + " rejoins", l ->
                        l.node() == victim && l.is("JOINED") && Long.parseLong(l.args()[0]) != incarnation);
                long newIncarnation = Long.parseLong(joined.args()[0]);
                rejoinedAs.put(key, newIncarnation);
                rejoin.add(TimeUnit.NANOSECONDS.toMillis(joined.nanos() - resumedAt));
                if (newIncarnation <= incarnation) {
                    problems.add(victim.label() + " rejoined as incarnation " + newIncarnation + ", not higher than"
                            + " its lost " + incarnation);
                }
            }
            cluster.hold(cluster.quietPeriod());
            cluster.awaitMembership(nodes, Duration.ofSeconds(10));

            int once = 0;
            for (Map.Entry<String, NodeProcess> entry : stopped.entrySet()) {
                List<Line.Down> reports = cluster.downsOf(entry.getKey());
                boolean good = reports.size() == 1 && reports.get(0).delivery() == 1
                        && reports.get(0).reason().equals("TIMED_OUT") && reports.get(0).reporter() != entry.getValue();
                if (good) {
                    once++;
                } else {
                    problems.add(entry.getKey() + " was not reported exactly once by a survivor (delivery 1,"
                            + " TIMED_OUT):\n" + cluster.show(lines(reports)));
                }
            }
            List<Line.Down> falseDowns = cluster.downs().stream().filter(d -> !stopped.containsKey(d.key()))
                    .collect(Collectors.toList());
            List<Line> evictions = cluster.lines("EVICTED");
            List<Line> wrongEvictions = evictions.stream().filter(l -> !stopped.containsKey(l.node().nodeId() + "#"
                    + l.args()[0])).collect(Collectors.toList());
            List<Line> states = cluster.lines("STATE");
            Collections.sort(detection);
            Collections.sort(rejoin);
            String observed = ROUNDS + " stops: " + once + " reported exactly once, " + falseDowns.size()
                    + " other node-down (new incarnations included), " + (evictions.size() - wrongEvictions.size())
                    + "/" + ROUNDS + " told EVICTED DECLARED_DEAD, " + rejoinedAs.size() + "/" + ROUNDS
                    + " rejoined with a higher incarnation, " + wrongEvictions.size() + " other evictions;"
                    + " node-down " + detection.get(0) + "-" + detection.get(detection.size() - 1) + " ms after"
                    + " SIGSTOP, rejoined " + rejoin.get(0) + "-" + rejoin.get(rejoin.size() - 1) + " ms after SIGCONT;"
                    + " states seen: " + summarize(states);
            boolean passed = problems.isEmpty() && falseDowns.isEmpty() && wrongEvictions.isEmpty()
                    && once == ROUNDS;
            ReliabilityReport.record(cluster, "2", "SIGSTOP of a node for 3 x timeout (" + pause.toMillis()
                    + " ms), then SIGCONT (" + NODES + " nodes)", ROUNDS + " stops",
                    "survivors report the old incarnation down exactly once; the node is told EVICTED DECLARED_DEAD"
                            + " and rejoins with a higher incarnation, which nobody reports down", observed, passed);

            assertAll(
                    () -> assertTrue(problems.isEmpty(), () -> String.join("\n", problems)
                            + "\nTranscript: " + cluster.dir()),
                    () -> assertTrue(falseDowns.isEmpty(), () -> "Unexpected node-down reports:\n"
                            + cluster.show(lines(falseDowns))),
                    () -> assertTrue(wrongEvictions.isEmpty(), () -> "Nodes that were not stopped were evicted:\n"
                            + cluster.show(wrongEvictions)));
        }
    }

    static List<Line> lines(List<Line.Down> downs) {
        return downs.stream().map(Line.Down::line).collect(Collectors.toList());
    }

    /** @return the STATE sequences of the nodes, identical ones counted, e.g. "SUSPENDED>LOST (3 nodes)" */
    static String summarize(List<Line> states) {
        if (states.isEmpty()) {
            return "none";
        }
        Map<NodeProcess, List<String>> byNode = new LinkedHashMap<>();
        for (Line line : states) {
            byNode.computeIfAbsent(line.node(), k -> new ArrayList<>()).add(line.args()[0]);
        }
        Map<String, Integer> sequences = new LinkedHashMap<>();
        for (List<String> sequence : byNode.values()) {
            sequences.merge(String.join(">", sequence), 1, Integer::sum);
        }
        return sequences.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + " node"
                + (e.getValue() == 1 ? "" : "s") + ")").collect(Collectors.joining(", "));
    }
}
