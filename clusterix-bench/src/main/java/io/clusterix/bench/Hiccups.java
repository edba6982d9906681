package io.clusterix.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long the simulator's JVM (or the whole machine) stood still: a daemon thread sleeps 5 ms at a time and
 * records by how much each sleep overran, as jHiccup does. A GC pause, a safepoint or a machine that gives this
 * process no CPU shows up as a hiccup; a Redis that answers slowly does not.
 */
final class Hiccups implements AutoCloseable {
    private static final long PERIOD_NANOS = 5_000_000L;

    private final AtomicLong longestNanos = new AtomicLong();
    private final AtomicLong longestAt = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    Hiccups() {
        thread = new Thread(this::run, "sim-hiccups");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long before = System.nanoTime();
        while (running) {
            try {
                Thread.sleep(PERIOD_NANOS / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long overrun = Math.max(0, now - before - PERIOD_NANOS);
            if (overrun > longestNanos.get()) {
                longestNanos.set(overrun);
                longestAt.set(now);
            }
            before = now;
        }
    }

    /** Forgets what was measured so far: the window starts now. */
    void reset() {
        longestNanos.set(0);
        longestAt.set(0);
    }

    /** @return the longest overrun since the last reset, ns */
    long longestNanos() {
        return longestNanos.get();
    }

    /** @return System.nanoTime() at the end of the longest overrun */
    long longestAt() {
        return longestAt.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
