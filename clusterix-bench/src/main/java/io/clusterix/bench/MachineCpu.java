package io.clusterix.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The whole machine's CPU time from {@code /proc/stat} (Linux), so that a run can say how much CPU other processes
 * took while it measured: Redis and the simulator share the machine with whatever else runs there, and a busy
 * neighbour changes every figure.
 *
 * @param busyTicks  ticks the CPUs spent on anything but idle and I/O wait
 * @param totalTicks all ticks, summed over CPUs
 */
record MachineCpu(long busyTicks, long totalTicks) {
    private static final Path STAT = Path.of("/proc/stat");

    /** @return the counters now, or zeros where {@code /proc/stat} does not exist */
    static MachineCpu read() {
        try {
            if (!Files.isReadable(STAT)) {
                return new MachineCpu(0, 0);
            }
            String line = Files.readAllLines(STAT).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new MachineCpu(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0);
        }
    }

    /**
     * @param earlier an earlier reading
     * @return the machine's CPU use between the readings in percent of one core (2 cores fully busy: 200), or -1
     *         if unknown
     */
    double percentSince(MachineCpu earlier) {
        long total = totalTicks - earlier.totalTicks;
        if (total <= 0) {
            return -1;
        }
        return 100.0 * Runtime.getRuntime().availableProcessors() * (busyTicks - earlier.busyTicks) / total;
    }

    /**
     * Waits until the machine looks quiet, for at most {@code maxWaitSeconds}: a 3-second sample in which all
     * processes together used less than {@code maxPercent} of one core.
     *
     * @param maxPercent     the most CPU, in percent of one core, that counts as quiet
     * @param maxWaitSeconds how long to wait at most
     * @return the last sample's CPU use, percent of one core
     * @throws InterruptedException if interrupted
     */
    static double awaitQuiet(double maxPercent, long maxWaitSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitSeconds * 1_000_000_000L;
        boolean told = false;
        while (true) {
            MachineCpu before = read();
            Thread.sleep(3000);
            double busy = read().percentSince(before);
            if (busy < 0 || busy < maxPercent || System.nanoTime() > deadline) {
                if (told) {
                    System.err.println(String.format(Locale.ROOT, "[sim] machine at %.0f%% of one core; starting",
                            busy));
                }
                return busy;
            }
            if (!told) {
                System.err.println(String.format(Locale.ROOT, "[sim] other processes use %.0f%% of one core; waiting"
                        + " up to %d s for a quieter machine", busy, maxWaitSeconds));
                told = true;
            }
        }
    }
}
