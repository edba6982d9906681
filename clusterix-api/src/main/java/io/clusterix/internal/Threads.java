package io.clusterix.internal;

import io.clusterix.spi.ScriptedHeartbeatStore;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every {@code Clusterix} instance of the JVM shares: one scheduler thread that only decides and sends
 * (never blocks, never runs user code), and a pool that runs listeners and completes public futures. All daemon
 * threads, so an application that forgets to dispose does not hang at exit.
 */
public final class Threads {
    private static final ScheduledExecutorService SCHEDULER = newScheduler();
    private static final ExecutorService CALLBACKS = Executors.newCachedThreadPool(factory("clusterix-callback-"));

    private Threads() {
    }

    private static ScheduledExecutorService newScheduler() {
        ThreadFactory threads = factory("clusterix-scheduler-");
        ScheduledThreadPoolExecutor[] scheduler = new ScheduledThreadPoolExecutor[1];
        // The heartbeats that the engines due at one time send, one task after another, go out together: a store sends
        // them from a task that runs after the tasks due now.
        scheduler[0] = new ScheduledThreadPoolExecutor(1, task -> threads.newThread(() -> {
            ScriptedHeartbeatStore.gatherHeartbeatsOfThisThread(scheduler[0]::execute);
            task.run();
        }));
        scheduler[0].setRemoveOnCancelPolicy(true);
        return scheduler[0];
    }

    /** @return the shared scheduler */
    public static ScheduledExecutorService scheduler() {
        return SCHEDULER;
    }

    /** @return the shared pool for listeners and future completion */
    public static ExecutorService callbacks() {
        return CALLBACKS;
    }

    /**
     * @param prefix thread name prefix
     * @return a factory of daemon threads named prefix + counter
     */
    public static ThreadFactory factory(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
