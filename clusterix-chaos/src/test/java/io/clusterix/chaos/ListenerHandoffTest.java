package io.clusterix.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The survivor that handles a death is killed in the middle of its node-down listener: a node is SIGKILLed; the
 * survivor that claims its death prints DOWN, and its listener sleeps ({@code --listener-sleep-ms}); the test
 * SIGKILLs that survivor at once. Another survivor must then receive the same death again (delivery above 1) and
 * complete it (HANDLED), and the killed claimer's own death is reported once like any other.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ListenerHandoffTest {
    private static final int NODES = 4;
    /** Long enough for the test to see DOWN and kill the claimer before its listener returns. */
    private static final long LISTENER_MILLIS = 2_000;

    @Test
    void anotherSurvivorCompletesTheCleanupOfAClaimerKilledInItsListener() {
        int rounds = ChaosSettings.handoffs();
        Random random = new Random(Long.getLong("chaos.seed", System.nanoTime()));
        String[] sleep = {"--listener-sleep-ms", Long.toString(LISTENER_MILLIS)};
        try (ChaosCluster cluster = new ChaosCluster("listener-handoff", false)) {
            List<NodeProcess> live = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                live.add(cluster.start("n" + i, sleep));
            }
            cluster.awaitJoined(live);

            List<String> problems = new ArrayList<>();
            Set<String> victims = new LinkedHashSet<>(); // deaths caused by the test: victims and killed claimers
            List<String> handedOver = new ArrayList<>();
            List<Long> redelivery = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                awaitIdle(cluster, live);
                NodeProcess victim = live.get(random.nextInt(live.size()));
                String key = victim.nodeId() + "#" + victim.incarnation();
                victims.add(key);
                victim.sigkill();
                live.remove(victim);
                Line.Down first = cluster.awaitLine(ChaosCluster.DETECT_LIMIT, "round " + round + ": a survivor"
                        + " reports " + key + " down", l -> l.down() != null && l.down().key().equals(key)).down();
                NodeProcess claimer = first.reporter();
                String claimerKey = claimer.nodeId() + "#" + claimer.incarnation();
                victims.add(claimerKey);
                long claimerKilledAt = claimer.sigkill();
                live.remove(claimer);
                boolean caughtInListener = claimer.lines().stream().noneMatch(l -> l.is("HANDLED")
                        && l.text().equals("HANDLED " + victim.nodeId() + " " + first.incarnation()));
                if (!caughtInListener) {
                    problems.add("round " + round + ": " + claimer.label() + " finished its listener for " + key
                            + " before the test could kill it: the scenario did not happen (raise LISTENER_MILLIS)");
                }
                Line.Down again = cluster.awaitLine(ChaosCluster.DETECT_LIMIT, "round " + round + ": another"
                        + " survivor receives " + key + " again after its claimer " + claimer.label() + " was killed",
                        l -> l.down() != null && l.down().key().equals(key) && l.node() != claimer).down();
                redelivery.add(TimeUnit.NANOSECONDS.toMillis(again.line().nanos() - claimerKilledAt));
                NodeProcess finisher = again.reporter();
                cluster.awaitLine(ChaosCluster.DETECT_LIMIT.plusMillis(2 * LISTENER_MILLIS), "round " + round + ": "
                        + finisher.label() + " completes " + key, l -> l.node() == finisher
                        && l.text() != null && l.text().equals("HANDLED " + victim.nodeId() + " " + first.incarnation()));
                handedOver.add(claimer.nodeId() + "->" + finisher.nodeId() + " (delivery " + again.delivery() + ")");
                cluster.awaitLine(ChaosCluster.DETECT_LIMIT, "round " + round + ": a survivor reports the killed"
                        + " claimer " + claimerKey + " down", l -> l.down() != null
                        && l.down().key().equals(claimerKey));
                for (NodeProcess dead : List.of(victim, claimer)) {
                    NodeProcess replacement = cluster.start(dead.nodeId(), sleep);
                    live.add(replacement);
                    cluster.awaitJoined(List.of(replacement));
                }
            }
            awaitIdle(cluster, live);
            cluster.hold(cluster.quietPeriod());

            // Each victim: delivery 1 to its claimer (killed), then exactly one more delivery, to a live node that
            // completed it. Each killed claimer: reported once, completed once.
            int completed = 0;
            for (String key : victims) {
                List<Line.Down> reports = cluster.downsOf(key);
                List<Line> handled = handledOf(cluster, key);
                boolean handedOff = reports.size() == 2 && reports.get(0).delivery() == 1
                        && reports.get(1).delivery() > 1 && reports.get(0).reporter().killedByTest()
                        && handled.size() == 1 && handled.get(0).node() == reports.get(1).reporter();
                boolean plain = reports.size() == 1 && reports.get(0).delivery() == 1 && handled.size() == 1
                        && handled.get(0).node() == reports.get(0).reporter();
                if (handedOff || plain) {
                    completed++;
                } else {
                    problems.add(key + ": expected one DOWN and one HANDLED by the same live node, or a DOWN"
                            + " (delivery 1) by a killed claimer then one re-delivery completed by a live node; saw:\n"
                            + cluster.show(SigstopNodeTest.lines(reports)) + "\n" + cluster.show(handled));
                }
            }
            List<Line.Down> falseDowns = cluster.downs().stream().filter(d -> !victims.contains(d.key()))
                    .collect(Collectors.toList());
            List<Line> evictions = cluster.lines("EVICTED");
            Collections.sort(redelivery);
            String observed = rounds + " claimers killed in their listener: " + handedOver.size() + " deaths"
                    + " re-delivered and completed by another survivor (" + String.join(", ", handedOver) + "),"
                    + " re-delivered " + redelivery.get(0) + "-" + redelivery.get(redelivery.size() - 1) + " ms after"
                    + " the claimer's kill; " + completed + "/" + victims.size() + " deaths completed exactly once; "
                    + falseDowns.size() + " false node-down, " + evictions.size() + " evictions";
            boolean passed = problems.isEmpty() && falseDowns.isEmpty() && evictions.isEmpty();
            ReliabilityReport.record(cluster, "7", "The survivor handling a death SIGKILLed in the middle of its"
                    + " node-down listener (" + NODES + " nodes, listeners take " + LISTENER_MILLIS + " ms)",
                    rounds + " rounds", "another survivor gets the same death again (delivery > 1) and completes it"
                            + " (HANDLED); the killed claimer's own death is reported and completed once; no other"
                            + " node-down", observed, passed);

            assertAll(
                    () -> assertTrue(problems.isEmpty(), () -> String.join("\n", problems)
                            + "\nTranscript: " + cluster.dir()),
                    () -> assertTrue(falseDowns.isEmpty(), () -> "Unexpected node-down reports:\n"
                            + cluster.show(SigstopNodeTest.lines(falseDowns))),
                    () -> assertTrue(evictions.isEmpty(), () -> "Evictions:\n" + cluster.show(evictions)));
        }
    }

    private static List<Line> handledOf(ChaosCluster cluster, String key) {
        String text = "HANDLED " + key.replace('#', ' ');
        return cluster.lines("HANDLED").stream().filter(l -> l.text().equals(text)).collect(Collectors.toList());
    }

    /**
     * Waits until no live node is in a listener and the last one returned over a second ago, so that its claim is
     * released in Redis (at its next heartbeat) before the next round kills anyone: a kill before that would rightly
     * cause another re-delivery and blur what this round observes.
     */
    private static void awaitIdle(ChaosCluster cluster, List<NodeProcess> live) {
        cluster.awaitValue(ChaosCluster.DETECT_LIMIT.plusMillis(4 * LISTENER_MILLIS), "every live node finished its"
                + " node-down listeners a second ago", () -> {
                    long recent = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
                    for (NodeProcess node : live) {
                        List<Line> lines = node.lines();
                        long downs = lines.stream().filter(l -> l.is("DOWN")).count();
                        long handled = lines.stream().filter(l -> l.is("HANDLED")).count();
                        boolean recentEnd = lines.stream().anyMatch(l -> l.is("HANDLED") && l.nanos() > recent);
                        if (downs != handled || recentEnd) {
                            return null;
                        }
                    }
                    return Boolean.TRUE;
                });
    }
}
