package io.clusterix.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Calls into a {@code HeartbeatStore} that never throw at the caller: a store that throws fails the future instead. */
final class StoreCalls {
    private StoreCalls() {
    }

    /**
     * @param call a store call
     * @param <T>  its result type
     * @return its future, or a failed one if the call threw or returned null
     */
    static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
        try {
            return Objects.requireNonNull(call.get(), "HeartbeatStore returned null");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @param error a failure as a future reports it
     * @return the failure itself, without {@link CompletionException} and {@link ExecutionException} wrappers
     */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
