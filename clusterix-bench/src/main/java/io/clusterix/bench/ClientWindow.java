package io.clusterix.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the simulator's own JVM, the nodes' client side, did in one window, from readings at its start and its end:
 * the store calls, this process's CPU time (in all and by thread group), the whole machine's CPU, garbage
 * collections, the longest time without any completed call and the longest JVM hiccup.
 *
 * @param calls         the store calls of the window
 * @param cpuNanos      CPU time of this process in the window, ns
 * @param machineCpuPct CPU use of the whole machine, % of one core, -1 if unknown
 * @param threadCpu     CPU time by thread group ({@link ThreadCpu}), ns
 * @param gcCount       garbage collections
 * @param gcMillis      time they took, ms
 * @param stallNanos    the longest time without any completed store call
 * @param stallEnd      System.nanoTime() at its end
 * @param hiccupNanos   the longest JVM hiccup ({@link Hiccups})
 * @param hiccupEnd     System.nanoTime() at its end
 */
record ClientWindow(CallCounters.Snapshot calls, long cpuNanos, double machineCpuPct, Map<String, Long> threadCpu,
                    long gcCount, long gcMillis, long stallNanos, long stallEnd, long hiccupNanos, long hiccupEnd) {

    /** Reads the start of the window and resets the longest stall and hiccup: call right before it starts. */
    static Start start(CallCounters counters, Hiccups hiccups) {
        return new Start(counters, hiccups);
    }

    /** The readings at the start of a window. */
    static final class Start {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final CallCounters counters;
        private final Hiccups hiccups;
        private final CallCounters.Snapshot calls0;
        private final long cpu0;
        private final MachineCpu machine0;
        private final Map<String, Long> threads0;
        private final long[] gc0;

        private Start(CallCounters counters, Hiccups hiccups) {
            this.counters = counters;
            this.hiccups = hiccups;
            calls0 = counters.snapshot();
            cpu0 = os.getProcessCpuTime();
            machine0 = MachineCpu.read();
            threads0 = ThreadCpu.read();
            gc0 = gcCounts();
            counters.resetGap();
            hiccups.reset();
        }

        /** @return the window from the start to now */
        ClientWindow end() {
            CallCounters.Snapshot calls = counters.snapshot().minus(calls0);
            long cpuNanos = os.getProcessCpuTime() - cpu0;
            MachineCpu machine1 = MachineCpu.read();
            Map<String, Long> threadCpu = ThreadCpu.since(threads0, ThreadCpu.read());
            long[] gc1 = gcCounts();
            return new ClientWindow(calls, cpuNanos, machine1.percentSince(machine0), threadCpu, gc1[0] - gc0[0],
                    gc1[1] - gc0[1], counters.longestGapNanos(), counters.longestGapEnd(), hiccups.longestNanos(),
                    hiccups.longestAt());
        }
    }

    /** @return this process's CPU use, % of one core, over a window of {@code windowNs} */
    double cpuPct(double windowNs) {
        return 100.0 * cpuNanos / windowNs;
    }

    /** @return the CPU use of one thread group ({@link ThreadCpu#group}), % of one core */
    double threadsPct(String group, double windowNs) {
        return 100.0 * threadCpu.getOrDefault(group, 0L) / windowNs;
    }

    /** Logs the longest stall and hiccup, and when they ended: a long one explains late or false detections. */
    void logStalls(long t0) {
        SimulationRun.log("longest stall without any completed call: %.0f ms, ending %.1f s into the window; longest"
                + " JVM hiccup: %.0f ms, ending %.1f s into the window", stallNanos / 1e6, (stallEnd - t0) / 1e9,
                hiccupNanos / 1e6, (hiccupEnd - t0) / 1e9);
    }

    /** Logs the eight thread groups that took the most CPU: where the client's CPU went. */
    void logThreads(double windowNs) {
        SimulationRun.log("client CPU by thread, %% of one core: %s", threadCpu.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), 100.0 * e.getValue() / windowNs))
                .collect(Collectors.joining(", ")));
    }

    /** @return the heap in use after two full collections, bytes */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long[] gcCounts() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }
}
