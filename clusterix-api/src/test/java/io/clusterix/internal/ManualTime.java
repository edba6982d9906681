package io.clusterix.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * A {@link Ticker} and {@link EngineScheduler} whose time moves only when the test says: tasks handed to
 * {@link #execute} wait until {@link #run()}, timers until {@link #advance} reaches them. Thread-safe, so that a
 * test may block in {@code close()} on one thread while it drives time on another.
 */
final class ManualTime implements Ticker, EngineScheduler {
    private final PriorityQueue<Task> timers = new PriorityQueue<>();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private long now = 1_000_000_000_000L;
    private long sequence;

    private static final class Task implements Comparable<Task> {
        final long due;
        final long order;
        final Runnable task;
        volatile boolean cancelled;

        Task(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Task other) {
            return due != other.due ? Long.compare(due, other.due) : Long.compare(order, other.order);
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Timer schedule(Runnable task, long delay) {
        Task scheduled = new Task(now + Math.max(0, delay), sequence++, task);
        timers.add(scheduled);
        return () -> scheduled.cancelled = true;
    }

    @Override
    public synchronized void execute(Runnable task) {
        ready.add(task);
    }

    /** Runs every task handed to {@link #execute}, and those they hand on, at the current time. */
    void run() {
        for (Runnable next = poll(); next != null; next = poll()) {
            next.run();
        }
    }

    private synchronized Runnable poll() {
        return ready.poll();
    }

    /** @param step how far to move time: every timer due on the way runs at its own time, in order */
    void advance(Duration step) {
        long target;
        synchronized (this) {
            target = now + step.toNanos();
        }
        while (true) {
            run();
            Task due;
            synchronized (this) {
                due = timers.peek();
                if (due == null || due.due > target) {
                    now = target;
                    break;
                }
                timers.poll();
                now = due.due;
            }
            if (!due.cancelled) {
                due.task.run();
            }
        }
        run();
    }

    /** @return timers that are due some time and not cancelled */
    synchronized long pendingTimers() {
        return timers.stream().filter(t -> !t.cancelled).count();
    }
}
