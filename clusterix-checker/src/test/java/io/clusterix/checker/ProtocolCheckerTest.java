package io.clusterix.checker;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs schedules and checks their histories (see the package's documentation). Tagged {@code checker}: only
 * {@code -Pchecker} runs it. System properties:
 * <ul>
 *   <li>{@code checker.schedules} (default {@value #DEFAULT_SCHEDULES}): how many seeds, from {@code checker.seed};</li>
 *   <li>{@code checker.seed} (default {@value #DEFAULT_FIRST_SEED}): the first seed; fixed, so that CI is
 *       reproducible (a CI that wants to cover new ground advances it, e.g. by the build number);</li>
 *   <li>{@code checker.replay=SEED}: runs that one seed instead;</li>
 *   <li>{@code checker.repeat} (default 1): runs each seed that many times (a replay repeats the schedule, not
 *       necessarily its interleaving);</li>
 *   <li>{@code checker.reportAll=true}: writes the history of passing runs too.</li>
 * </ul>
 * A failing run prints its violations, {@code seed=...} and the command that replays it, and writes the whole history
 * to {@code target/checker/seed-N.txt}.
 */
@Tag("checker")
class ProtocolCheckerTest {
    static final int DEFAULT_SCHEDULES = 8;
    static final long DEFAULT_FIRST_SEED = 1;
    private static final String REPLAY = "./mvnw -B -ntp verify -Pchecker -pl clusterix-checker -am"
            + " -Dtest=ProtocolCheckerTest -Dsurefire.failIfNoSpecifiedTests=false -Dchecker.replay=";

    @Test
    void everyScheduleKeepsEveryInvariant() throws IOException {
        List<Long> seeds = new ArrayList<>();
        String replay = System.getProperty("checker.replay", "").trim();
        if (!replay.isEmpty()) {
            seeds.add(Long.parseLong(replay));
        } else {
            long first = Long.getLong("checker.seed", DEFAULT_FIRST_SEED);
            int count = Integer.getInteger("checker.schedules", DEFAULT_SCHEDULES);
            for (int i = 0; i < count; i++) {
                seeds.add(first + i);
            }
        }
        int repeat = Math.max(1, Integer.getInteger("checker.repeat", 1));
        Path reports = Path.of(System.getProperty("checker.reportDir", "target/checker"));
        Files.createDirectories(reports);
        List<String> failed = new ArrayList<>();
        long begin = System.nanoTime();
        int runs = 0;
        for (long seed : seeds) {
            for (int round = 0; round < repeat; round++) {
                ScheduleRunner.Outcome outcome = ScheduleRunner.run(Schedule.generate(seed), reports.resolve("redis"));
                runs++;
                System.out.println(outcome.summary());
                Path report = reports.resolve("seed-" + seed + (repeat > 1 ? "-" + round : "") + ".txt");
                if (outcome.passed()) {
                    if (Boolean.getBoolean("checker.reportAll")) {
                        Files.writeString(report, outcome.report());
                    }
                    continue;
                }
                Files.writeString(report, outcome.report());
                System.out.println("FAILED seed=" + seed + ": " + outcome.violations().size() + " violations; the"
                        + " history is in " + report + "; replay with:\n  " + REPLAY + seed);
                outcome.violations().forEach(v -> System.out.println("  " + v));
                failed.add("seed=" + seed + " (" + outcome.violations().stream()
                        .map(v -> v.invariant().toString()).distinct().reduce((a, b) -> a + ", " + b).orElse("")
                        + ")");
            }
        }
        System.out.printf("%d runs of %d seeds in %.1f s, %d failed%s%n", runs, seeds.size(),
                (System.nanoTime() - begin) / 1e9, failed.size(), failed.isEmpty() ? "" : ": " + failed);
        assertTrue(failed.isEmpty(), () -> "invariants violated: " + failed + "; replay one with " + REPLAY
                + "<seed>");
    }
}
