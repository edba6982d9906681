package io.clusterix.spi;

import io.clusterix.ClusterKeys;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;

/**
 * Gathers the heartbeats that the nodes of one cluster send through one store into as few script calls as the round
 * trip allows, as a database's group commit does: a heartbeat goes out at once when no call of its cluster is on the
 * way; those that come while one is go out together when it returns, at most {@link #MOST} per call. A node alone in
 * its process (the usual case) sends each heartbeat alone, with no added delay; a thousand instances sharing a client
 * share the call's fixed cost (the script's start, the server clock, the history read), which is most of a heartbeat's,
 * and Redis gets fewer, larger calls exactly when it is busy (the round trip grows, so do the batches). On a thread
 * that {@link #sendLaterOnThisThread} names (the engine's scheduler, which runs the ticks of every node due at one time
 * one after another), heartbeats wait for a task that runs after those ticks and go out together from it.
 *
 * <p>Bounded: each node has at most the heartbeats it sent and did not give up on waiting here; one whose future the
 * caller cancelled (it timed out) before it went out is dropped. Heartbeats with different timeouts or intervals do not
 * share a call (the script reads the clock with them).
 */
final class HeartbeatBatches {
    /** The most heartbeats in one script call: bounds the script's run time (tens of microseconds each). */
    static final int MOST = 64;

    private record Group(ClusterKeys keys, Duration timeout, Duration interval) {
    }

    private record Waiting(Heartbeat beat, CompletableFuture<HeartbeatResult> result) {
    }

    /** The heartbeats of one group that wait for the call on the way, or for the sending task; guarded by itself. */
    private static final class Queue {
        final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
        boolean sending;
        /** A sending task was handed to a thread's {@link #LATER} and has not run yet. */
        boolean sendLater;
    }

    /** Where the heartbeats sent on this thread go out from: see {@link #sendLaterOnThisThread}. */
    private static final ThreadLocal<Executor> LATER = new ThreadLocal<>();

    private final Map<Group, Queue> queues = new ConcurrentHashMap<>();
    private final BiFunction<ClusterKeys, List<Heartbeat>, CompletableFuture<List<HeartbeatResult>>> send;

    /**
     * @param send sends one script call with the heartbeats given, all of one cluster, timeout and interval, and
     *             completes with one result per heartbeat, in order
     */
    HeartbeatBatches(BiFunction<ClusterKeys, List<Heartbeat>, CompletableFuture<List<HeartbeatResult>>> send) {
        this.send = Objects.requireNonNull(send, "send");
    }

    /**
     * Heartbeats sent on the calling thread from now on wait for a task handed to {@code later}, which sends them:
     * a scheduler thread that runs the ticks of many nodes due at one time sends them in one call.
     *
     * @param later runs the sending task after the tasks that are due now; null: send at once again
     */
    static void sendLaterOnThisThread(Executor later) {
        if (later == null) {
            LATER.remove();
        } else {
            LATER.set(later);
        }
    }

    /**
     * @param keys the cluster
     * @param beat the heartbeat
     * @return its result, when the call that carried it returns
     */
    CompletableFuture<HeartbeatResult> submit(ClusterKeys keys, Heartbeat beat) {
        CompletableFuture<HeartbeatResult> result = new CompletableFuture<>();
        Queue queue = queues.computeIfAbsent(new Group(keys, beat.timeout(), beat.interval()), g -> new Queue());
        Executor later = LATER.get();
        List<Waiting> batch;
        synchronized (queue) {
            queue.waiting.add(new Waiting(beat, result));
            if (queue.sending || queue.sendLater) {
                return result;
            }
            if (later == null) {
                batch = take(queue);
            } else {
                queue.sendLater = true;
                batch = null;
            }
        }
        if (batch == null) {
            sendLater(keys, queue, later);
        } else {
            sendLoop(keys, queue, batch);
        }
        return result;
    }

    private void sendLater(ClusterKeys keys, Queue queue, Executor later) {
        Runnable send = () -> {
            List<Waiting> batch;
            synchronized (queue) {
                queue.sendLater = false;
                if (queue.sending) {
                    return; // the call on the way takes them when it returns
                }
                batch = take(queue);
            }
            sendLoop(keys, queue, batch);
        };
        try {
            later.execute(send);
        } catch (RejectedExecutionException e) { // the scheduler is shutting down: send from here
            send.run();
        }
    }

    /**
     * Sends batches until the queue is empty. A call that the backend completes on this thread (a failure before
     * sending) leads to the next one here, not in a nested callback.
     */
    private void sendLoop(ClusterKeys keys, Queue queue, List<Waiting> first) {
        List<Waiting> batch = first;
        while (batch != null) {
            CompletableFuture<List<HeartbeatResult>> call = sendNow(keys, batch);
            List<Waiting> sent = batch;
            if (!call.isDone()) {
                AtomicBoolean released = new AtomicBoolean();
                Runnable next = () -> {
                    if (released.compareAndSet(false, true)) {
                        List<Waiting> following;
                        synchronized (queue) {
                            following = take(queue);
                        }
                        sendLoop(keys, queue, following);
                    }
                };
                call.whenComplete((results, error) -> {
                    complete(sent, results, error == null ? null : unwrap(error));
                    next.run();
                });
                // Every caller gave up on this call (it timed out: a failover can leave a call unanswered for the
                // client's own timeout, a minute): the heartbeats after it do not wait for it.
                CompletableFuture.allOf(sent.stream().map(Waiting::result).toArray(CompletableFuture[]::new))
                        .whenComplete((all, error) -> {
                            if (!call.isDone()) {
                                call.cancel(false);
                                next.run();
                            }
                        });
                return;
            }
            Throwable error = call.isCompletedExceptionally() ? failure(call) : null;
            complete(sent, error == null ? call.join() : null, error);
            synchronized (queue) {
                batch = take(queue);
            }
        }
    }

    private CompletableFuture<List<HeartbeatResult>> sendNow(ClusterKeys keys, List<Waiting> batch) {
        List<Heartbeat> beats = new ArrayList<>(batch.size());
        batch.forEach(w -> beats.add(w.beat()));
        try {
            return Objects.requireNonNull(send.apply(keys, beats), "send returned null");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** @return the next batch (sending stays true), or null when none waits (sending is false then); under the lock */
    private static List<Waiting> take(Queue queue) {
        List<Waiting> batch = new ArrayList<>(Math.min(MOST, queue.waiting.size()));
        while (batch.size() < MOST && !queue.waiting.isEmpty()) {
            Waiting next = queue.waiting.poll();
            if (!next.result().isDone()) { // given up on while it waited
                batch.add(next);
            }
        }
        queue.sending = !batch.isEmpty();
        return batch.isEmpty() ? null : batch;
    }

    private static void complete(List<Waiting> batch, List<HeartbeatResult> results, Throwable error) {
        for (int i = 0; i < batch.size(); i++) {
            if (error != null) {
                batch.get(i).result().completeExceptionally(error);
            } else {
                batch.get(i).result().complete(results.get(i));
            }
        }
    }

    private static Throwable failure(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("the call did not fail");
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
