package io.clusterix.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The suite's knobs, as system properties (Maven hands {@code -D} options of its command line to the test JVM):
 * {@code chaos.backend} (jedis, lettuce or redisson; default jedis), {@code chaos.kills} (SIGKILLs in the kill loop,
 * default 20), {@code chaos.handoffs} (rounds of the listener hand-off, default 3), {@code chaos.outages} (rounds of
 * each Redis outage, default 2), {@code chaos.redisDownMs} (how long Redis stays down in a restart, default 2000),
 * {@code chaos.heartbeatMs},
 * {@code chaos.pollMs}, {@code chaos.timeoutMs} (the nodes' clusterix intervals, default 100, 100, 600 ms: short,
 * so that 20 kills fit in a CI run, and a timeout of six heartbeats, so that a busy 2-core machine does not make a
 * live node miss its deadline).
 */
final class ChaosSettings {
    static final List<String> BACKENDS = List.of("jedis", "lettuce", "redisson");

    private ChaosSettings() {
    }

    static String backend() {
        String backend = System.getProperty("chaos.backend", "jedis").trim();
        if (!BACKENDS.contains(backend)) {
            throw new IllegalArgumentException("chaos.backend=" + backend + ": use one of " + BACKENDS);
        }
        return backend;
    }

    static int kills() {
        return integer("chaos.kills", 20);
    }

    static int handoffs() {
        return integer("chaos.handoffs", 3);
    }

    static int outages() {
        return integer("chaos.outages", 2);
    }

    static Duration heartbeat() {
        return Duration.ofMillis(integer("chaos.heartbeatMs", 100));
    }

    static Duration poll() {
        return Duration.ofMillis(integer("chaos.pollMs", 100));
    }

    static Duration timeout() {
        return Duration.ofMillis(integer("chaos.timeoutMs", 600));
    }

    /** @return where reliability.md and the per-scenario logs go: the module's target directory */
    static Path reportDir() {
        return Path.of(System.getProperty("chaos.reportDir", "target"));
    }

    private static int integer(String property, int defaultValue) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException("not positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "=" + value + " must be a positive integer", e);
        }
    }
}
