package io.clusterix.internal;

import io.clusterix.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The listeners of one kind of event of one engine, and their dispatch: each listener has its own queue on the
 * listener executor, so it sees events in order, and one that throws or blocks delays neither the engine nor the other
 * listeners. A listener that throws is logged and reported to {@code onListenerError} (the error listeners), except
 * for the error listeners themselves.
 *
 * @param <T> the event type
 */
final class Listeners<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final String nodeId;
    private final Executor executor;
    private final Consumer<Throwable> onListenerError;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param nodeId          the node, for log lines
     * @param executor        the executor listeners run on
     * @param onListenerError where a listener's exception goes, or null for none (the error listeners themselves)
     */
    Listeners(String nodeId, Executor executor, Consumer<Throwable> onListenerError) {
        this.nodeId = nodeId;
        this.executor = executor;
        this.onListenerError = onListenerError;
    }

    /**
     * @param consumer the listener
     * @return closes to remove it; events it has not started yet are dropped
     */
    Registration add(Consumer<? super T> consumer) {
        Listener listener = new Listener(Objects.requireNonNull(consumer, "listener"));
        listeners.add(listener);
        return () -> {
            listener.removed = true;
            listeners.remove(listener);
        };
    }

    /** @return whether no listener is registered (a caller may then skip making the event) */
    boolean isEmpty() {
        return listeners.isEmpty();
    }

    /**
     * @param event the event, queued for every listener registered now
     * @return completes when every one of them has returned or thrown
     */
    CompletableFuture<Void> deliver(T event) {
        Object[] now = listeners.toArray();
        CompletableFuture<?>[] all = new CompletableFuture<?>[now.length];
        for (int i = 0; i < now.length; i++) {
            @SuppressWarnings("unchecked")
            Listener listener = (Listener) now[i];
            all[i] = listener.deliver(event);
        }
        return CompletableFuture.allOf(Arrays.copyOf(all, all.length));
    }

    /**
     * Queues several events for every listener registered now, as one task per listener: the same order and the same
     * isolation as {@link #deliver} of each in turn, one hand-over to the listener executor instead of one per event
     * (a heartbeat reply of a node that was behind brings up to 100 changes).
     *
     * @param events the events, in order
     */
    void deliverAll(List<? extends T> events) {
        if (events.isEmpty()) {
            return;
        }
        if (events.size() == 1) {
            deliver(events.get(0));
            return;
        }
        for (Object listener : listeners.toArray()) {
            @SuppressWarnings("unchecked")
            Listener l = (Listener) listener;
            l.deliverAll(events);
        }
    }

    /** One registered listener with its own queue. */
    private final class Listener {
        private final Consumer<? super T> consumer;
        private final SerialExecutor queue = new SerialExecutor(executor);
        private volatile boolean removed;

        Listener(Consumer<? super T> consumer) {
            this.consumer = consumer;
        }

        CompletableFuture<Void> deliver(T event) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                queue.execute(() -> {
                    try {
                        handle(event);
                    } finally {
                        done.complete(null);
                    }
                });
            } catch (RuntimeException rejected) {
                rejected(event, rejected);
                done.complete(null);
            }
            return done;
        }

        void deliverAll(List<? extends T> events) {
            try {
                queue.execute(() -> events.forEach(this::handle));
            } catch (RuntimeException rejected) {
                rejected(events, rejected);
            }
        }

        private void handle(T event) {
            try {
                if (!removed) {
                    consumer.accept(event);
                }
            } catch (RuntimeException | Error e) {
                LOG.error("A clusterix listener of node '{}' threw while handling {}", nodeId, event, e);
                if (onListenerError != null) {
                    onListenerError.accept(e);
                }
            }
        }

        private void rejected(Object what, RuntimeException rejected) {
            LOG.error("The listener executor of clusterix node '{}' rejected an event ({}): {}", nodeId, what,
                    rejected.toString());
        }
    }
}
