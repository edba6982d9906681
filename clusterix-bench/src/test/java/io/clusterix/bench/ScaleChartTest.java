package io.clusterix.bench;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleChartTest {

    @Test
    void theLeastDisturbedAttemptOfEachBackendAndSizeCounts() {
        RunResult disturbed = RunResultTest.sample("jedis", 1000, 80.0, 900.0, 0, 60.0);
        RunResult quiet = RunResultTest.sample("jedis", 1000, 8.0, 900.0, 0, 5.0);
        RunResult later = RunResultTest.sample("jedis", 1000, 9.0, 900.0, 0, 30.0);
        RunResult other = RunResultTest.sample("lettuce", 100, 2.0, 800.0, 0, 70.0);
        assertEquals(List.of(quiet, other), ScaleChart.select(List.of(disturbed, quiet, later, other), null));
        assertEquals(List.of(), ScaleChart.select(List.of(quiet), "ffff"));
    }

    @Test
    void rendersAndPrintsMarkdown() {
        System.setProperty("java.awt.headless", "true");
        List<RunResult> runs = List.of(RunResultTest.sample("jedis", 100, 2.0, 900.0, 0),
                RunResultTest.sample("jedis", 10_000, 60.0, 2500.0, 12),
                RunResultTest.sample("redisson", 100, 3.0, 950.0, 0));
        BufferedImage image = ScaleChart.render(runs);
        assertEquals(1400, image.getWidth());
        String markdown = ScaleChart.markdown(runs);
        assertTrue(markdown.contains("| jedis | 10,000 | 60.0% | 2.00 |"), markdown);
        assertTrue(ScaleChart.attempts(runs, "0123456789ab").contains("| jedis | 6.2.11 | 10,000 |"));
    }
}
