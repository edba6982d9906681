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

    private static RunResult before(String backend, int nodes, double cpu, double other) {
        RunResult r = RunResultTest.sample(backend, nodes, cpu, 900.0, 0, other);
        for (String column : new String[] {"churnPerMin", "propagationP50Ms", "propagationP99Ms",
                "propagationMaxMs", "redisBytesPerMember", "callbackCpuPct"}) {
            r = RunResultTest.with(r, column, -1.0);
        }
        r = RunResultTest.with(r, "viewChecked", -1);
        return RunResultTest.with(r, "startupSpreadS", -1L);
    }

    private static RunResult views(String backend, int nodes, double cpu, double churn, long startup) {
        RunResult r = RunResultTest.with(RunResultTest.sample(backend, nodes, cpu, 900.0, 0), "churnPerMin", churn);
        return RunResultTest.with(r, "startupSpreadS", startup);
    }

    @Test
    void viewRowsTellTheBuildsAndModesApartAndCompareWithTheBuildBefore() {
        RunResult old = before("jedis", 10_000, 40.0, 3.0);
        RunResult oldDisturbed = before("jedis", 10_000, 60.0, 50.0);
        RunResult kills = views("jedis", 10_000, 44.0, 0, 600);
        RunResult churn = views("jedis", 10_000, 50.0, 0.01, 600);
        RunResult storm = views("jedis", 1000, 79.0, 0, 0);
        RunResult lettuce = views("lettuce", 1000, 8.0, 0, 30);
        List<ViewsChart.ViewRow> rows = ViewsChart.viewRows(List.of(oldDisturbed, old, kills, churn, storm, lettuce));
        assertEquals(List.of(ViewsChart.ViewMode.STORM, ViewsChart.ViewMode.BEFORE, ViewsChart.ViewMode.KILLS,
                ViewsChart.ViewMode.CHURN, ViewsChart.ViewMode.KILLS),
                rows.stream().map(ViewsChart.ViewRow::mode).toList());
        assertEquals(old, rows.get(1).run());
        assertEquals(1.1, rows.get(2).ratio(), 1e-9);
        assertEquals(1.25, rows.get(3).ratio(), 1e-9);
        assertEquals(-1.0, rows.get(4).ratio());
        String markdown = ViewsChart.viewsMarkdown(rows);
        assertTrue(markdown.contains("| jedis | 10,000 | views, churn | 0123456789ab | 50.0% | 1.25 | 260 / 506 / 530 |"),
                markdown);
        assertTrue(markdown.contains("| jedis | 10,000 | before views | 0123456789ab | 40.0% |  |  |"),
                markdown);
        // The build before views run by this simulator: views measured as zero, no history key in Redis.
        RunResult overOld = RunResultTest.with(RunResultTest.with(churn, "viewChecked", 0), "historyEntries", 0L);
        assertEquals(ViewsChart.ViewMode.BEFORE, ViewsChart.ViewMode.of(overOld));
        // Churn runs stay out of the lines of the main chart.
        assertEquals(List.of(kills), ScaleChart.select(List.of(kills, churn), null));
        BufferedImage image = ScaleChart.render(List.of(kills), rows);
        assertEquals(1400, image.getWidth());
        assertTrue(image.getHeight() > ScaleChart.render(List.of(kills)).getHeight());
    }
}
