package io.clusterix.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Completes the futures an engine returns on its callback pool: never on a Redis client's I/O thread, on the
 * scheduler or on the application's listener executor, so that whoever waits for one (a listener too) is woken by a
 * thread of its own. If the pool refuses, on the calling thread.
 */
final class Callbacks {
    private Callbacks() {
    }

    static <T> void complete(Executor callbacks, CompletableFuture<T> future, T value) {
        try {
            callbacks.execute(() -> future.complete(value));
        } catch (RuntimeException e) {
            future.complete(value);
        }
    }

    static void fail(Executor callbacks, CompletableFuture<?> future, Throwable error) {
        try {
            callbacks.execute(() -> future.completeExceptionally(error));
        } catch (RuntimeException e) {
            future.completeExceptionally(error);
        }
    }
}
