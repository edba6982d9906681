package io.clusterix.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one simulator run measured: one CSV row, one table row. Times in milliseconds unless a name says otherwise;
 * rates per second of the measurement window; {@code -1} where nothing was measured (no kill detected, say).
 *
 * @param started            ISO-8601 time the run started
 * @param backend            jedis, lettuce or redisson
 * @param redisVersion       the server's {@code redis_version}
 * @param scriptSha1         the first 12 hex digits of clusterix.lua's SHA-1: which version of the script ran
 * @param engineBuild        the first 12 hex digits of a SHA-256 of the engine's and the backend's class files: which
 *                           build of the Java code ran
 * @param nodes              N, virtual nodes started
 * @param connections        K, connections they share
 * @param heartbeatMs        heartbeatInterval
 * @param pollMs             pollInterval
 * @param timeoutMs          timeout
 * @param windowS            length of the measurement window, seconds
 * @param redisCpuPct        Redis CPU (user + sys) in percent of one core, over the window
 * @param redisCommandsPerS  {@code total_commands_processed} per second: round trips plus the commands scripts run
 * @param scriptCallsPerS    {@code EVALSHA}/{@code EVAL} per second, as Redis counted them
 * @param scriptMicrosPerCall server time per script call, µs ({@code INFO commandstats})
 * @param callsPerNodeS      store calls per node per second, counted by the client over the nodes alive
 * @param rttP50Ms           round trip of a store call, median (histogram, within 9%)
 * @param rttP99Ms           round trip of a store call, 99th percentile
 * @param callFailures       store calls that failed in the window
 * @param sendGapP999Ms      time between two successive heartbeats a node sent, 99.9th percentile over all nodes
 *                           (histogram, within 9%): how late the engine's timers fired
 * @param sendGapMaxMs       the same, maximum (upper bound of the highest bucket)
 * @param kills              nodes killed (dispose(): no leave)
 * @param detected           killed nodes reported down
 * @param duplicates         reports of a killed node beyond the first (re-deliveries of a claim whose holder died)
 * @param killP50Ms          detection latency from the kill, median
 * @param killP99Ms          detection latency from the kill, 99th percentile (nearest rank)
 * @param killMaxMs          detection latency from the kill, maximum
 * @param heartbeatP50Ms     detection latency from the killed node's last successful heartbeat, median
 * @param heartbeatP99Ms     the same, 99th percentile
 * @param heartbeatMaxMs     the same, maximum
 * @param falseDowns         "node down" events for nodes that were not killed (or before their kill), from the start
 *                           of the window to the end of the wait for late detections
 * @param evictions          eviction events (a live node learned it had been declared dead), same period
 * @param errors             onError events (failed or timed-out heartbeats and polls), window
 * @param startupFalseDowns  false "node down" events during the start-up and warm-up, before the window
 * @param startupEvictions   evictions during the start-up and warm-up
 * @param startupS           seconds from the first initializeNode() to the last join's completion
 * @param clientCpuPct       simulator process CPU in percent of one core, over the window (the machine's cores:
 *                           {@code cores})
 * @param schedulerCpuPct    of which clusterix's one scheduler thread (shared by every instance of the JVM)
 * @param cores              available processors
 * @param heapPerNodeKb      (heap used after GC with the nodes running - after they were disposed) / N, KiB
 * @param heapUsedMb         heap used after GC with the nodes running, MiB
 * @param peakThreads        most live threads of the simulator JVM during the run
 * @param gcCount            garbage collections in the window
 * @param gcMs               time spent in them, ms
 * @param stallMs            longest time in the window during which no store call completed, ms
 * @param hiccupMs           longest time in the window during which the simulator's JVM did not run at all (a
 *                           thread that sleeps 5 ms overslept by this much: GC pause, safepoint, CPU starvation), ms
 * @param redisClients       {@code connected_clients} at the end of the window (K plus INFO's own connection, and
 *                           Redisson's subscription connection)
 * @param machineCpuPct      CPU use of the whole machine over the window ({@code /proc/stat}), percent of one core
 * @param otherCpuPct        of which neither Redis nor the simulator: other processes, the kernel (network
 *                           interrupts); meaningful only with a Redis on this machine
 * @param quietBeforePct     machine CPU use in the 3 s before the run started, percent of one core
 * @param churnPerMin        churn mode: the fraction of N killed, and the same number of new nodes started, per
 *                           minute of the window; 0 for the kill-sample mode; -1 in rows of simulators without it
 * @param joins              nodes started (new ids) during the window, churn mode
 * @param joinsDone          of which joined
 * @param viewVersions       membership versions written during the window (server time of the change)
 * @param viewChecked        of which at least one member's listener got, so that the views were compared
 * @param viewApplies        membership events the members' listeners got for those versions
 * @param viewIdentical      of which carried the very view object of the version's first event (engines of one JVM
 *                           that follow the same history share their views)
 * @param viewEqual          another object, but equal to it
 * @param viewMismatches     neither: two members' views of one version differ (the library's guarantee broken)
 * @param viewIncomplete     versions that fewer surviving members got than had joined before them
 * @param viewResyncs        resync events (a snapshot replaced a member's view) recorded from the window's start
 * @param membersBehind      surviving members whose view was behind the last version at the end of the wait
 * @param propagationP50Ms   time from a change's write (Redis server time stored with it) to its delivery to the
 *                           last member's listener, median over the window's versions
 * @param propagationP99Ms   the same, 99th percentile (nearest rank)
 * @param propagationMaxMs   the same, maximum
 * @param redisUsedMemory    {@code used_memory} at the end of the window, bytes
 * @param redisBytesPerMember (that - {@code used_memory} before the nodes started) / members at the end of the
 *                           window, bytes
 * @param keysBytes          {@code MEMORY USAGE ... SAMPLES 0} of all the cluster's keys, summed, bytes
 * @param historyBytes       of which the {@code history} sorted set
 * @param historyEntries     its entries ({@code ZCARD})
 * @param metadataBytes      {@code MEMORY USAGE} of the {@code metadata} hash
 * @param callbackCpuPct     CPU of the listener threads ({@code clusterix-callback-}) in percent of one core: the
 *                           simulator's cost of dispatching every event to every member
 * @param startupSpreadS     {@code --startup-s}: the N joins were spread over this many seconds; 0 for one
 *                           heartbeat interval (the default); -1 in rows of simulators without the option
 * @param startupCurve       {@code --startup-curve}: {@code linear} (node i at S·i/N) or {@code quadratic} (at
 *                           S·(i/N)²); empty in older rows
 */
public record RunResult(String started, String backend, String redisVersion, String scriptSha1, String engineBuild,
                        int nodes, int connections, long heartbeatMs, long pollMs, long timeoutMs, double windowS,
                        double redisCpuPct, double redisCommandsPerS, double scriptCallsPerS,
                        double scriptMicrosPerCall, double callsPerNodeS, double rttP50Ms, double rttP99Ms,
                        long callFailures, double sendGapP999Ms, double sendGapMaxMs, int kills, int detected,
                        int duplicates, double killP50Ms, double killP99Ms, double killMaxMs, double heartbeatP50Ms,
                        double heartbeatP99Ms, double heartbeatMaxMs, long falseDowns, long evictions, long errors,
                        long startupFalseDowns, long startupEvictions, double startupS, double clientCpuPct,
                        double schedulerCpuPct, int cores, double heapPerNodeKb, double heapUsedMb, int peakThreads,
                        long gcCount, long gcMs, double stallMs, double hiccupMs, long redisClients,
                        double machineCpuPct, double otherCpuPct, double quietBeforePct, double churnPerMin,
                        int joins, int joinsDone, int viewVersions, int viewChecked, long viewApplies,
                        long viewIdentical, long viewEqual, long viewMismatches, int viewIncomplete,
                        long viewResyncs, int membersBehind, double propagationP50Ms, double propagationP99Ms,
                        double propagationMaxMs, long redisUsedMemory, double redisBytesPerMember, long keysBytes,
                        long historyBytes, long historyEntries, long metadataBytes, double callbackCpuPct,
                        long startupSpreadS, String startupCurve) {

    /** The CSV header, in the order of the record's components. */
    public static final List<String> COLUMNS = Arrays.stream(RunResult.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    private static final String HEADER_START = "started,";

    /** @return the CSV row (no quoting: no value holds a comma) */
    public String csvRow() {
        List<String> values = new ArrayList<>();
        for (var component : RunResult.class.getRecordComponents()) {
            try {
                Object value = component.getAccessor().invoke(this);
                values.add(value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : String.valueOf(value));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(",", values);
    }

    /**
     * Appends this run to a CSV file, writing the header first if the file is new, or if its last header differs
     * (a file that outlived a change of columns).
     *
     * @param csv the file
     */
    public void appendTo(Path csv) {
        try {
            if (csv.toAbsolutePath().getParent() != null) {
                Files.createDirectories(csv.toAbsolutePath().getParent());
            }
            String header = String.join(",", COLUMNS);
            String lastHeader = null;
            if (Files.exists(csv)) {
                for (String line : Files.readAllLines(csv)) {
                    if (line.startsWith(HEADER_START)) {
                        lastHeader = line;
                    }
                }
            }
            String text = (header.equals(lastHeader) ? "" : header + System.lineSeparator()) + csvRow()
                    + System.lineSeparator();
            Files.writeString(csv, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + csv, e);
        }
    }

    /**
     * Reads every run of a CSV file written by {@link #appendTo}; columns are matched by name, under the last header
     * line above each row, so a file with extra, missing or reordered columns still reads (missing numbers read as
     * -1).
     *
     * @param csv the file
     * @return the runs, in file order
     */
    public static List<RunResult> readAll(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + csv, e);
        }
        List<RunResult> runs = new ArrayList<>();
        List<String> header = List.of();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith(HEADER_START)) {
                header = List.of(line.split(","));
                continue;
            }
            String[] cells = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < cells.length; i++) {
                row.put(header.get(i), cells[i]);
            }
            runs.add(fromRow(row));
        }
        return runs;
    }

    private static RunResult fromRow(Map<String, String> row) {
        var components = RunResult.class.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            String cell = row.getOrDefault(components[i].getName(), "");
            if (types[i] == String.class) {
                args[i] = cell;
            } else if (types[i] == int.class) {
                args[i] = cell.isEmpty() ? -1 : Integer.parseInt(cell);
            } else if (types[i] == long.class) {
                args[i] = cell.isEmpty() ? -1L : Long.parseLong(cell);
            } else {
                args[i] = cell.isEmpty() ? -1.0 : Double.parseDouble(cell);
            }
        }
        try {
            return RunResult.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read a CSV row " + row, e);
        }
    }

    /** The table's columns: widths and conversions of {@link #tableRow()}, in the same order as the header. */
    private static final String TABLE_HEADER_FORMAT =
            "%-8s %-6s %6s %3s %8s %8s %8s %7s %6s %7s %8s %-15s %-15s %-12s %5s %6s %7s %6s %7s %6s %6s %-13s %-11s %8s";
    private static final String TABLE_ROW_FORMAT = "%-8s %-6s %6d %3d %7.1f%% %8.0f %8.0f %7.1f %6.2f %7.1f %8s"
            + " %-15s %-15s %-12s %5d %6d %7.0f %6.0f %7.1f %6d %6s %-13s %-11s %8s";

    /** @return the header of {@link #tableRow()} */
    public static String tableHeader() {
        return String.format(Locale.ROOT, TABLE_HEADER_FORMAT, "backend", "redis", "N", "K", "redisCPU", "cmds/s",
                "calls/s", "us/call", "c/n/s", "rtt99ms", "det/kill", "fromKill50/99/max", "fromHb50/99/max",
                "false(start)", "evict", "errors", "cliCPU%", "other%", "KB/node", "thrds", "churn", "prop50/99/max",
                "views/bad", "B/member");
    }

    /** @return one line for the simulator's table on standard output */
    public String tableRow() {
        return String.format(Locale.ROOT, TABLE_ROW_FORMAT, backend, redisVersion, nodes, connections, redisCpuPct,
                redisCommandsPerS, scriptCallsPerS, scriptMicrosPerCall, callsPerNodeS, rttP99Ms,
                detected + "/" + kills, triple(killP50Ms, killP99Ms, killMaxMs),
                triple(heartbeatP50Ms, heartbeatP99Ms, heartbeatMaxMs), falseDowns + "(" + startupFalseDowns + ")",
                evictions, errors, clientCpuPct, otherCpuPct, heapPerNodeKb, peakThreads,
                churnPerMin < 0 ? "-" : String.format(Locale.ROOT, "%.3f", churnPerMin),
                triple(propagationP50Ms, propagationP99Ms, propagationMaxMs),
                viewChecked < 0 ? "-" : viewChecked + "/" + (viewMismatches + viewIncomplete),
                redisBytesPerMember < 0 ? "-" : String.format(Locale.ROOT, "%.0f", redisBytesPerMember));
    }

    /** @return whether this run used the churn mode (nodes killed and new ones started during the window) */
    public boolean churn() {
        return churnPerMin > 0;
    }

    private static String triple(double a, double b, double c) {
        return a < 0 ? "-" : String.format(Locale.ROOT, "%.0f/%.0f/%.0f", a, b, c);
    }
}
