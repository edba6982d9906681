package io.clusterix.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the simulator's threads, grouped by name without its number ({@code clusterix-scheduler-1} and
 * {@code lettuce-nioEventLoop-4-2} become {@code clusterix-scheduler-} and {@code lettuce-nioEventLoop-}), so that a
 * run can say where the client's CPU went: clusterix's one scheduler thread, the client's I/O threads, the Jedis
 * store's blocking threads, the listener pool. Threads that ended between two readings are missing from the
 * difference.
 */
final class ThreadCpu {
    private ThreadCpu() {
    }

    /** @return CPU nanoseconds per thread group, now */
    static Map<String, Long> read() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> groups = new HashMap<>();
        if (!threads.isThreadCpuTimeSupported()) {
            return groups;
        }
        long[] ids = threads.getAllThreadIds();
        ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = threads.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpu > 0) {
                groups.merge(group(infos[i].getThreadName()), cpu, Long::sum);
            }
        }
        return groups;
    }

    static String group(String threadName) {
        return threadName.replaceAll("[0-9]+", "").replaceAll("-+", "-");
    }

    /**
     * @param before a reading at the start of the window
     * @param after  a reading at its end
     * @return CPU nanoseconds per group spent between the readings
     */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new HashMap<>();
        after.forEach((group, cpu) -> delta.put(group, cpu - before.getOrDefault(group, 0L)));
        return delta;
    }
}
