package io.clusterix.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Where the engine's work runs: its timers, and the handling of every reply (a store's future completes on a Redis
 * client's thread; the engine moves on to this scheduler before it looks at the reply). Production uses the JVM's one
 * shared scheduler thread ({@link #shared()}); engine tests use a scheduler whose time they move by hand. Tasks must
 * be short and must never block: they decide and send, nothing else.
 */
public interface EngineScheduler {

    /**
     * @param task  what to run
     * @param delay how long from now, in the {@link Ticker}'s nanoseconds; 0 or less for as soon as possible
     * @return a handle that cancels the task if it has not started
     */
    Timer schedule(Runnable task, long delay);

    /** @param task what to run as soon as possible, on the scheduler */
    void execute(Runnable task);

    /** A scheduled task that may still be cancelled. */
    @FunctionalInterface
    interface Timer {
        /** A timer that is never due. */
        Timer NONE = () -> { };

        /** Cancels the task if it has not started; idempotent. */
        void cancel();
    }

    /**
     * Fails {@code future} with a {@link TimeoutException} if it is not complete after {@code delay} (as
     * {@link CompletableFuture#orTimeout} does, but on this scheduler's clock); the timer is cancelled as soon as the
     * future completes.
     *
     * @param future  the future; completed exceptionally on timeout, so that whoever produced it can see it was given
     *                up (a store stops sending a call that nobody waits for any more)
     * @param delay   the longest wait, in nanoseconds
     * @param failure what to fail it with
     * @param <T>     the future's type
     * @return {@code future}
     */
    default <T> CompletableFuture<T> failAfter(CompletableFuture<T> future, long delay,
                                               Supplier<TimeoutException> failure) {
        if (future.isDone()) {
            return future;
        }
        Timer timer = schedule(() -> future.completeExceptionally(failure.get()), delay);
        future.whenComplete((value, error) -> timer.cancel());
        return future;
    }

    /** @return the scheduler every engine of the JVM shares: one daemon thread, {@code clusterix-scheduler-1} */
    static EngineScheduler shared() {
        return SharedScheduler.INSTANCE;
    }

    /** The JVM's one scheduler thread (see {@link Threads}). */
    final class SharedScheduler implements EngineScheduler {
        static final SharedScheduler INSTANCE = new SharedScheduler(Threads.scheduler());
        private final ScheduledExecutorService executor;

        private SharedScheduler(ScheduledExecutorService executor) {
            this.executor = executor;
        }

        @Override
        public Timer schedule(Runnable task, long delay) {
            ScheduledFuture<?> scheduled = executor.schedule(task, Math.max(0, delay), TimeUnit.NANOSECONDS);
            return () -> scheduled.cancel(false);
        }

        @Override
        public void execute(Runnable task) {
            executor.execute(task);
        }
    }
}
