package io.clusterix.jedis;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A cached pool of daemon threads that counts the tasks given to it and how many run at once. */
final class CountingExecutor implements Executor, AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "counting-executor");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger tasks = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();

    @Override
    public void execute(Runnable task) {
        tasks.incrementAndGet();
        threads.execute(() -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                task.run();
            } finally {
                running.decrementAndGet();
            }
        });
    }

    /** @return tasks given to this executor so far */
    int tasks() {
        return tasks.get();
    }

    /** @return tasks running now */
    int running() {
        return running.get();
    }

    /** @return the most tasks that ran at once */
    int maxRunning() {
        return maxRunning.get();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
