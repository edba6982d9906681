package io.clusterix.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL of node processes: five nodes run; one at a time is killed, the test waits for a survivor to report it,
 * starts a replacement under the same id, and goes on, {@code chaos.kills} times. After a quiet period every death
 * must have been reported exactly once across all nodes (no miss, no duplicate) and no live node reported down.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SigkillTest {
    private static final int NODES = 5;

    @Test
    void everyKilledNodeIsReportedExactlyOnceAcrossTheSurvivors() {
        int kills = ChaosSettings.kills();
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        try (ChaosCluster cluster = new ChaosCluster("sigkill", false)) {
            System.out.println("[chaos] sigkill: " + kills + " kills, victim order seed " + seed
                    + " (-Dchaos.seed=" + seed + " repeats it)");
            List<NodeProcess> live = new ArrayList<>();
            for (int i = 1; i <= NODES; i++) {
                live.add(cluster.start("n" + i));
            }
            cluster.awaitJoined(live);

            Map<String, Long> killedAt = new LinkedHashMap<>(); // nodeId#incarnation -> nanoTime of the SIGKILL
            Map<String, Long> detectionMillis = new LinkedHashMap<>();
            for (int k = 1; k <= kills; k++) {
                NodeProcess victim = pickVictim(cluster, live, random);
                String key = victim.nodeId() + "#" + victim.incarnation();
                long at = victim.sigkill();
                killedAt.put(key, at);
                live.remove(victim);
                Line.Down first = cluster.awaitLine(ChaosCluster.DETECT_LIMIT, "kill " + k + ": a survivor reports "
                        + key + " down", l -> l.down() != null && l.down().key().equals(key)).down();
                detectionMillis.put(key, TimeUnit.NANOSECONDS.toMillis(first.line().nanos() - at));
                NodeProcess replacement = cluster.start(victim.nodeId());
                live.add(replacement);
                cluster.awaitJoined(List.of(replacement));
            }
            // Long enough for a duplicate or late report of the last kill to show.
            cluster.hold(cluster.quietPeriod());

            List<Line.Down> downs = cluster.downs();
            int once = 0;
            int missed = 0;
            int duplicates = 0;
            List<String> problems = new ArrayList<>();
            for (String key : killedAt.keySet()) {
                List<Line.Down> reports = cluster.downsOf(key);
                if (reports.isEmpty()) {
                    missed++;
                    problems.add(key + " was never reported");
                } else if (reports.size() > 1) {
                    duplicates += reports.size() - 1;
                    problems.add(key + " was reported " + reports.size() + " times:\n"
                            + cluster.show(reports.stream().map(Line.Down::line).collect(Collectors.toList())));
                } else if (reports.get(0).delivery() != 1 || !reports.get(0).reason().equals("TIMED_OUT")) {
                    problems.add(key + " was reported with delivery " + reports.get(0).delivery() + " and reason "
                            + reports.get(0).reason() + " (expected delivery 1, TIMED_OUT): "
                            + cluster.format(reports.get(0).line()));
                } else {
                    once++;
                }
            }
            List<Line.Down> falseDowns = downs.stream().filter(d -> !killedAt.containsKey(d.key()))
                    .collect(Collectors.toList());
            List<Line> evictions = cluster.lines("EVICTED");
            List<Long> latencies = new ArrayList<>(detectionMillis.values());
            Collections.sort(latencies);
            String observed = kills + " kills: " + once + " reported exactly once, " + missed + " missed, "
                    + duplicates + " duplicates, " + falseDowns.size() + " false node-down, " + evictions.size()
                    + " evictions; detection after the kill p50 " + latencies.get((latencies.size() - 1) / 2)
                    + " ms, max " + latencies.get(latencies.size() - 1) + " ms";
            boolean passed = once == kills && falseDowns.isEmpty() && evictions.isEmpty();
            ReliabilityReport.record(cluster, "1", "SIGKILL of a node process (" + NODES + " nodes; a replacement"
                    + " joins under the same id after each report)", kills + " kills",
                    "each death reported exactly once across the survivors (delivery 1, TIMED_OUT), none missed;"
                            + " no other node-down; no eviction", observed, passed);

            assertAll(
                    () -> assertTrue(problems.isEmpty(), () -> "Deaths not reported exactly once:\n"
                            + String.join("\n", problems) + "\nTranscript: " + cluster.dir()),
                    () -> assertTrue(falseDowns.isEmpty(), () -> "Nodes that were never killed were reported down:\n"
                            + cluster.show(falseDowns.stream().map(Line.Down::line).collect(Collectors.toList()))),
                    () -> assertTrue(evictions.isEmpty(), () -> "Live nodes were evicted:\n"
                            + cluster.show(evictions)));
        }
    }

    /**
     * A random live node, but not one that printed a DOWN or HANDLED line in the last second: such a node may not
     * have acknowledged its claim to Redis yet, and killing it then would rightly cause a re-delivery, which this
     * scenario does not test (see {@link ListenerHandoffTest}).
     */
    private static NodeProcess pickVictim(ChaosCluster cluster, List<NodeProcess> live, Random random) {
        long recent = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
        List<NodeProcess> idle = live.stream().filter(n -> n.lines().stream()
                .noneMatch(l -> (l.is("DOWN") || l.is("HANDLED")) && l.nanos() > recent))
                .collect(Collectors.toList());
        List<NodeProcess> candidates = idle.isEmpty() ? live : idle;
        return candidates.get(random.nextInt(candidates.size()));
    }
}
