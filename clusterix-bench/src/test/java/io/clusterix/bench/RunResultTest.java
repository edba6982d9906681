package io.clusterix.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunResultTest {

    static RunResult sample(String backend, int nodes, double cpu, double p99, long falseDowns) {
        return sample(backend, nodes, cpu, p99, falseDowns, 5.0);
    }

    static RunResult sample(String backend, int nodes, double cpu, double p99, long falseDowns, double other) {
        return new RunResult("2026-01-01T00:00:00Z", backend, "6.2.11", "0123456789ab", "ba9876543210", nodes, 8, 500, 500, 1000,
                60.0, cpu, 1000.0, 200.0, 30.5, 2.0, 0.2, 1.5, 0, 520.0, 560.0, 10, 10, 0, 700, p99, p99 + 10, 1000, 1050, 1060,
                falseDowns, 0, 0, 0, 0, 0.6, 12.5, 8.0, 2, 10.7, 120.0, 84, 3, 40, 12.5, 3.0, 10, 60.0, other, 2.0, 0.0, 0, 0,
                300, 300, 2_990_000L, 2_989_990L, 10L, 0L, 0, 0L, 0, 260.0, 505.5, 530.0, 9_000_000L, 450.5, 4_000_000L,
                120_000L, 1000L, 30_000L, 3.5, 30L, "linear");
    }

    /**
     * @param run       a run
     * @param component a record component's name
     * @param value     its new value
     * @return a copy of the run with that one value changed
     */
    static RunResult with(RunResult run, String component, Object value) {
        var components = RunResult.class.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                found |= components[i].getName().equals(component);
                args[i] = components[i].getName().equals(component) ? value
                        : components[i].getAccessor().invoke(run);
            }
            if (!found) {
                throw new IllegalArgumentException("no component " + component);
            }
            return RunResult.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void csvRowsReadBackEqual(@TempDir Path dir) {
        Path csv = dir.resolve("sub").resolve("scale.csv");
        RunResult first = sample("jedis", 100, 2.5, 968.0, 0);
        RunResult second = sample("lettuce", 10_000, 45.25, 1400.5, 3);
        first.appendTo(csv);
        second.appendTo(csv);
        assertEquals(List.of(first, second), RunResult.readAll(csv));
    }

    @Test
    void theHeaderIsWrittenOnce(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("scale.csv");
        sample("jedis", 100, 2.5, 968.0, 0).appendTo(csv);
        sample("jedis", 1000, 2.5, 968.0, 0).appendTo(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("started,backend,redisVersion,scriptSha1,engineBuild,nodes,"), lines.get(0));
    }

    @Test
    void rowsUnderAnOlderHeaderStillRead(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("scale.csv");
        Files.writeString(csv, "started,backend,nodes,redisCpuPct\n2025-12-31T00:00:00Z,jedis,100,3.5\n");
        RunResult current = sample("lettuce", 1000, 8.0, 950.0, 0);
        current.appendTo(csv);
        List<RunResult> runs = RunResult.readAll(csv);
        assertEquals(2, runs.size());
        assertEquals(100, runs.get(0).nodes());
        assertEquals(3.5, runs.get(0).redisCpuPct());
        assertEquals(-1, runs.get(0).killP99Ms());
        assertEquals(current, runs.get(1));
    }

    @Test
    void rowsOfSimulatorsWithoutViewsReadAsNotMeasured(@TempDir Path dir) throws Exception {
        // The header of the simulator before membership views (commit 1c84ed8): it ends with quietBeforePct.
        String old = String.join(",", RunResult.COLUMNS.subList(0, RunResult.COLUMNS.indexOf("quietBeforePct") + 1));
        RunResult before = sample("jedis", 1000, 6.3, 917.0, 0);
        String row = before.csvRow();
        String oldRow = String.join(",", List.of(row.split(",")).subList(0, old.split(",").length));
        Path csv = dir.resolve("scale.csv");
        Files.writeString(csv, old + "\n" + oldRow + "\n");
        RunResult current = with(sample("jedis", 1000, 7.0, 920.0, 0), "churnPerMin", 0.01);
        current.appendTo(csv);
        List<RunResult> runs = RunResult.readAll(csv);
        assertEquals(2, Files.readAllLines(csv).stream().filter(line -> line.startsWith("started,")).count());
        assertEquals(6.3, runs.get(0).redisCpuPct());
        assertEquals(-1.0, runs.get(0).churnPerMin());
        assertEquals(-1, runs.get(0).viewChecked());
        assertEquals(-1.0, runs.get(0).propagationP99Ms());
        assertEquals(-1L, runs.get(0).startupSpreadS());
        assertEquals("", runs.get(0).startupCurve());
        assertFalse(runs.get(0).churn());
        assertEquals(current, runs.get(1));
        assertTrue(runs.get(1).churn());
        assertTrue(runs.get(0).tableRow().endsWith("     84      - -             -                  -"), runs.get(0).tableRow());
    }

    @Test
    void theNewColumnsComeLast() {
        List<String> columns = RunResult.COLUMNS;
        assertEquals("quietBeforePct", columns.get(columns.indexOf("churnPerMin") - 1));
        assertEquals("startupCurve", columns.get(columns.size() - 1));
    }

    @Test
    void tableRowsLineUpWithTheHeader() {
        String row = sample("redisson", 5000, 20.0, 1000.0, 0).tableRow();
        assertTrue(row.startsWith("redisson 6.2.11   5000   8    20.0%"), row);
        assertTrue(RunResult.tableHeader().startsWith("backend  redis       N   K redisCPU"));
        assertTrue(row.endsWith(" 0.000 260/506/530   300/0            451"), row);
        assertTrue(RunResult.tableHeader().endsWith(" churn prop50/99/max views/bad   B/member"),
                RunResult.tableHeader());
    }
}
