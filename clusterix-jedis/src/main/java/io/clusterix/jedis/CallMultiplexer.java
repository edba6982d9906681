package io.clusterix.jedis;

import io.clusterix.ClusterixException;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.JedisCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sends blocking Jedis calls for many callers over a few connections and threads: calls are queued, and at most
 * {@code senders} sender tasks drain the queue on an executor, each sending all the calls queued at that moment (at
 * most {@value #MAX_BATCH}) as one pipeline on one connection (one write, one round trip) and completing their
 * futures in order. A lone caller sends pipelines of one call.
 *
 * <p>A client that cannot pipeline, or not so that Redis Cluster's redirections are followed (its source throws
 * {@link ConnectionSource.NoPipelines}), gets the same senders, each sending one call at a time: at most
 * {@code senders} calls in flight and threads blocked, however many are queued, instead of a thread per call.
 *
 * <p>A call whose future is already done when a sender takes it from the queue (its caller cancelled it, or failed it
 * as {@code orTimeout} does: it gave up waiting while Redis was slow) is not sent, and is counted
 * ({@link #abandonedCalls()}). One taken just before is sent, and its reply dropped.
 *
 * <p>The queue holds at most {@code capacity} calls (abandoned ones included, until a sender skips them): a call
 * beyond that fails at once with a {@link ClusterixException} saying that Redis answers too slowly, and is counted
 * ({@link #rejectedCalls()}). Waiting behind that many calls, it would most likely be given up on anyway.
 *
 * <p>Thread-safe. Knows nothing of what the calls are.
 */
final class CallMultiplexer {

    /** The most calls in one pipeline. */
    static final int MAX_BATCH = 512;

    /**
     * One command, sent alone on a connection or queued on a pipeline.
     *
     * @param <T> its reply's type
     */
    interface Call<T> {
        /**
         * @param connection a connection (or a client) to send this call on
         * @return the reply, once Redis answered
         */
        T sendAlone(JedisCommands connection);

        /**
         * @param pipeline a pipeline to add this call to
         * @return the reply, which comes with the pipeline's {@code sync()}
         */
        Response<T> queueOn(AbstractPipeline pipeline);
    }

    private final ConnectionSource connections;
    private final Executor executor;
    private final int maxSenders;
    private final int capacity;
    private final Queue<Queued<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger senders = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile boolean pipelining = true;

    /**
     * @param connections where the calls are sent
     * @param executor    where the senders run, each blocking a thread while it waits for Redis
     * @param senders     the most senders at once; at least 1
     * @param capacity    the most calls queued (not yet taken by a sender); at least 1
     */
    CallMultiplexer(ConnectionSource connections, Executor executor, int senders, int capacity) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (senders < 1) {
            throw new IllegalArgumentException("senders must be at least 1, was " + senders);
        }
        this.maxSenders = senders;
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The executor stores use unless given one: daemon threads named {@code clusterix-jedis-N}, shared by every store
     * of the JVM, created as senders need them and released when idle.
     *
     * @return the shared executor
     */
    static Executor sharedExecutor() {
        return SharedExecutor.INSTANCE;
    }

    /**
     * Queues a call.
     *
     * @param call the call
     * @param <T>  its reply's type
     * @return its reply, or its failure: the client's exception, or, at once, a {@link ClusterixException} if
     *         {@code capacity} calls are queued already
     */
    <T> CompletableFuture<T> submit(Call<T> call) {
        Objects.requireNonNull(call, "call");
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            rejected.incrementAndGet();
            return CompletableFuture.failedFuture(new ClusterixException("The Jedis store's queue is full: " + capacity
                    + " calls already wait for Redis, which answers too slowly for the store's senders ("
                    + maxSenders + ") to keep up, so this call was not sent. Check Redis' latency and load (LATENCY"
                    + " DOCTOR, SLOWLOG GET, INFO) and the network to it, or give the store more senders (and so"
                    + " connections): new JedisHeartbeatStore(client, executor, senders)"));
        }
        Queued<T> entry = new Queued<>(call, new CompletableFuture<>());
        queue.add(entry);
        startSender();
        return entry.result;
    }

    /**
     * @return the calls not sent because their future was already done (cancelled, or failed, e.g. by
     *         {@code orTimeout}) when a sender took them, since this multiplexer was created
     */
    long abandonedCalls() {
        return abandoned.get();
    }

    /** @return the calls refused because the queue was full, since this multiplexer was created */
    long rejectedCalls() {
        return rejected.get();
    }

    private void startSender() {
        for (int active = senders.get(); active < maxSenders; active = senders.get()) {
            if (senders.compareAndSet(active, active + 1)) {
                try {
                    executor.execute(this::drain);
                } catch (RuntimeException refused) {
                    senders.decrementAndGet();
                    failQueued(refused);
                }
                return;
            }
        }
        // Every sender is busy: one of them takes this call with its next batch.
    }

    private void drain() {
        try {
            for (;;) {
                // Take what is queued now (another sender may take some of it meanwhile), then send it; without
                // pipelines, one call at a time, so that the calls behind it go to the next free sender.
                List<Queued<?>> batch = take(pipelining ? MAX_BATCH : 1);
                if (batch.isEmpty()) {
                    break;
                }
                send(batch);
            }
        } finally {
            senders.decrementAndGet();
            // A call queued after this sender's last look, while every sender was still counted as busy.
            if (!queue.isEmpty()) {
                startSender();
            }
        }
    }

    private List<Queued<?>> take(int most) {
        List<Queued<?>> batch = new ArrayList<>(Math.min(most, 16));
        while (batch.size() < most) {
            Queued<?> call = queue.poll();
            if (call == null) {
                break;
            }
            queued.decrementAndGet();
            if (call.result.isDone()) {
                // Its caller gave up on it (cancelled, or failed it with a timeout) while it waited: do not send it.
                abandoned.incrementAndGet();
            } else {
                batch.add(call);
            }
        }
        return batch;
    }

    private void send(List<Queued<?>> batch) {
        if (pipelining) {
            try {
                connections.pipelined(pipeline -> {
                    List<Runnable> replies = new ArrayList<>(batch.size());
                    for (Queued<?> call : batch) {
                        replies.add(call.queueOn(pipeline));
                    }
                    pipeline.sync();
                    replies.forEach(Runnable::run);
                });
            } catch (ConnectionSource.NoPipelines cannotPipeline) {
                // Nothing was sent: from now on, every call is sent alone (see the class comment).
                pipelining = false;
                batch.forEach(this::sendAlone);
            } catch (RuntimeException e) {
                // The connection failed (or could not be had): every call of the batch failed.
                batch.forEach(call -> call.result.completeExceptionally(e));
            }
        } else {
            batch.forEach(this::sendAlone);
        }
    }

    private void sendAlone(Queued<?> call) {
        if (call.result.isDone()) {
            abandoned.incrementAndGet();
        } else {
            call.sendAlone(connections);
        }
    }

    private void failQueued(RuntimeException cause) {
        for (Queued<?> call = queue.poll(); call != null; call = queue.poll()) {
            queued.decrementAndGet();
            call.result.completeExceptionally(cause);
        }
    }

    /** A call and the future of its reply. */
    private record Queued<T>(Call<T> call, CompletableFuture<T> result) {

        /** Sends the call alone and completes the future with the reply or the failure. */
        void sendAlone(ConnectionSource connections) {
            complete(() -> connections.alone(call::sendAlone));
        }

        /** Adds the call to {@code pipeline}; the returned task, run after the pipeline's sync, completes it. */
        Runnable queueOn(AbstractPipeline pipeline) {
            Response<T> response = call.queueOn(pipeline);
            return () -> complete(response::get);
        }

        private void complete(Supplier<T> reply) {
            try {
                result.complete(reply.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** Holder idiom: the shared pool is created only once a store uses it. */
    private static final class SharedExecutor {
        private static final AtomicInteger THREADS = new AtomicInteger();
        static final ExecutorService INSTANCE = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "clusterix-jedis-" + THREADS.incrementAndGet());
            // Daemon: an application that never disposes clusterix must still be able to exit.
            thread.setDaemon(true);
            return thread;
        });
    }
}
