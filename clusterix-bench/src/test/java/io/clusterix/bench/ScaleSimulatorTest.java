package io.clusterix.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaleSimulatorTest {

    @Test
    void percentilesUseTheNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000_000L;
        }
        assertEquals(50.0, SimulationRun.millis(sorted, 0.5));
        assertEquals(99.0, SimulationRun.millis(sorted, 0.99));
        assertEquals(100.0, SimulationRun.millis(sorted, 1.0));
        assertEquals(7.0, SimulationRun.millis(new long[] {7_000_000L}, 0.99));
        assertEquals(-1.0, SimulationRun.millis(new long[0], 0.5));
    }

    @Test
    void aChildRunGetsOneBackendAndOneSizeAndEverythingElse() {
        ScaleSimulator.Settings settings = ScaleSimulator.Settings.parse(new String[] {"--backend",
                "jedis,redisson", "--nodes", "100,10000", "--connections", "4", "--duration-s", "30",
                "--redis-url", "redis://127.0.0.1:7000", "--csv", "out.csv"});
        assertEquals(List.of(Backend.JEDIS, Backend.REDISSON), settings.backends);
        assertEquals(List.of(100, 10_000), settings.nodes);
        ScaleSimulator.Settings child = ScaleSimulator.Settings.parse(
                settings.argsFor(Backend.REDISSON, 10_000).toArray(String[]::new));
        assertEquals(List.of(Backend.REDISSON), child.backends);
        assertEquals(List.of(10_000), child.nodes);
        assertEquals(4, child.connections);
        assertEquals(30, child.durationS);
        assertEquals("redis://127.0.0.1:7000", child.redisUrl);
        assertEquals(Path.of("out.csv"), child.csv);
        assertEquals(settings.heartbeatMs, child.heartbeatMs);
    }

    @Test
    void churnAndTheStartupSpreadAreOffByDefaultAndReachTheChild() {
        ScaleSimulator.Settings defaults = ScaleSimulator.Settings.parse(new String[0]);
        assertEquals(0.0, defaults.churnPerMin);
        assertEquals(0, defaults.churnCount(10_000, 60));
        assertEquals(0, defaults.startupS);
        ScaleSimulator.Settings settings = ScaleSimulator.Settings.parse(new String[] {"--churn-per-min", "0.01",
                "--startup-s", "600"});
        ScaleSimulator.Settings child = ScaleSimulator.Settings.parse(
                settings.argsFor(Backend.JEDIS, 10_000).toArray(String[]::new));
        assertEquals(0.01, child.churnPerMin);
        assertEquals(600, child.startupS);
        assertEquals(100, child.churnCount(10_000, 60));
        assertEquals(10, child.churnCount(1_000, 60));
        assertEquals(5, child.churnCount(1_000, 30));
        assertEquals(1, child.churnCount(10, 60));
    }

    @Test
    void churnMustBeAFractionOfN() {
        for (String bad : new String[] {"-0.1", "1", "2", "NaN"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ScaleSimulator.Settings.parse(new String[] {"--churn-per-min", bad}));
            assertTrue(e.getMessage().contains("--churn-per-min") && e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void nodesStartOverOneHeartbeatOrOverTheStartupSpreadLinearlyOrQuadratically() {
        ScaleSimulator.Settings defaults = ScaleSimulator.Settings.parse(new String[0]);
        assertEquals(250_000_000L, defaults.startOffsetNanos(500, 1000));
        ScaleSimulator.Settings linear = ScaleSimulator.Settings.parse(new String[] {"--startup-s", "100"});
        assertEquals(50_000_000_000L, linear.startOffsetNanos(500, 1000));
        ScaleSimulator.Settings quadratic = ScaleSimulator.Settings.parse(new String[] {"--startup-s", "100",
                "--startup-curve", "quadratic"});
        assertEquals(25_000_000_000L, quadratic.startOffsetNanos(500, 1000));
        assertEquals(100_000_000_000L, quadratic.startOffsetNanos(1000, 1000));
        ScaleSimulator.Settings child = ScaleSimulator.Settings.parse(
                quadratic.argsFor(Backend.JEDIS, 1000).toArray(String[]::new));
        assertTrue(child.quadraticStartup);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ScaleSimulator.Settings.parse(new String[] {"--startup-curve", "cubic"}));
        assertTrue(bad.getMessage().contains("--startup-curve"), bad.getMessage());
    }

    @Test
    void countBelowIsABinarySearch() {
        long[] sorted = {3, 5, 5, 9};
        assertEquals(0, SimulationRun.countBelow(sorted, 3));
        assertEquals(1, SimulationRun.countBelow(sorted, 4));
        assertEquals(1, SimulationRun.countBelow(sorted, 5));
        assertEquals(3, SimulationRun.countBelow(sorted, 6));
        assertEquals(4, SimulationRun.countBelow(sorted, 10));
        assertEquals(0, SimulationRun.countBelow(new long[0], 10));
    }

    @Test
    void badOptionsNameTheOption() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ScaleSimulator.Settings.parse(new String[] {"--nodse", "10"}));
        assertTrue(unknown.getMessage().contains("--nodse"), unknown.getMessage());
        IllegalArgumentException backend = assertThrows(IllegalArgumentException.class,
                () -> ScaleSimulator.Settings.parse(new String[] {"--backend", "valkey"}));
        assertTrue(backend.getMessage().contains("valkey"), backend.getMessage());
    }
}
