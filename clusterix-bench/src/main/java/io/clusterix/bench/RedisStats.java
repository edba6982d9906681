package io.clusterix.bench;

import io.clusterix.fixture.RespConnection;

import java.util.HashMap;
import java.util.Map;

/**
 * One reading of {@code INFO all}: the figures the simulator turns into rates by subtracting two readings.
 *
 * @param nanoTime          System.nanoTime() when the reply arrived
 * @param cpuSeconds        {@code used_cpu_user + used_cpu_sys}: CPU time of the whole server process
 * @param commands          {@code total_commands_processed}; counts the commands a script runs as well as the
 *                          {@code EVALSHA} itself
 * @param scriptCalls       {@code EVALSHA} and {@code EVAL} calls ({@code INFO commandstats}): client round trips
 * @param scriptMicros      time the server spent in those calls ({@code usec} of the same lines)
 * @param connectedClients  {@code connected_clients}
 * @param usedMemory        {@code used_memory}, bytes
 * @param version           {@code redis_version}
 */
record RedisStats(long nanoTime, double cpuSeconds, long commands, long scriptCalls, long scriptMicros,
                  long connectedClients, long usedMemory, String version) {

    /**
     * @param redis a connection to the server
     * @return the server's figures now
     */
    static RedisStats read(RespConnection redis) {
        String info = redis.string("INFO", "all");
        long now = System.nanoTime();
        Map<String, String> fields = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        double cpu = Double.parseDouble(fields.getOrDefault("used_cpu_user", "0"))
                + Double.parseDouble(fields.getOrDefault("used_cpu_sys", "0"));
        long calls = 0;
        long micros = 0;
        for (String command : new String[] {"cmdstat_evalsha", "cmdstat_eval"}) {
            String stat = fields.get(command);
            if (stat != null) {
                Map<String, String> parts = new HashMap<>();
                for (String part : stat.split(",")) {
                    int eq = part.indexOf('=');
                    if (eq > 0) {
                        parts.put(part.substring(0, eq), part.substring(eq + 1));
                    }
                }
                calls += Long.parseLong(parts.getOrDefault("calls", "0"));
                micros += Long.parseLong(parts.getOrDefault("usec", "0"));
            }
        }
        return new RedisStats(now, cpu, Long.parseLong(fields.getOrDefault("total_commands_processed", "0")), calls,
                micros, Long.parseLong(fields.getOrDefault("connected_clients", "0")),
                Long.parseLong(fields.getOrDefault("used_memory", "0")), fields.getOrDefault("redis_version", "?"));
    }

    /** @return seconds from {@code earlier} to this reading */
    double secondsSince(RedisStats earlier) {
        return (nanoTime - earlier.nanoTime) / 1e9;
    }

    /** @return the server's CPU use between the readings, in percent of one core (Redis runs commands on one) */
    double cpuPercentSince(RedisStats earlier) {
        return 100.0 * (cpuSeconds - earlier.cpuSeconds) / secondsSince(earlier);
    }
}
