package io.clusterix.checker;

import io.clusterix.checker.History.Fate;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.History.Op;
import io.clusterix.checker.Recorder.CallRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The faults of one node's life, and the gate its calls, replies and node-down handlers pass. A life is a process as
 * far as the other nodes can tell:
 * <ul>
 *   <li><b>paused</b> (as by SIGSTOP): its calls are held and sent, in order, when the pause ends; replies that
 *       arrive meanwhile are held and delivered then; its handlers make no progress. The engine's own timers go on
 *       (it times out the held calls and queues the next ones, as a stopped process's timers all fire at once when
 *       it resumes);</li>
 *   <li><b>gone</b> (killed, or closed and exited): held calls are never sent, replies are never delivered, handlers
 *       stop where they are (not completed);</li>
 *   <li>for a while, the replies of its heartbeats and leaves are <b>dropped</b> (each with a probability) or
 *       <b>delayed</b>: the call ran on the server (its real reply is recorded), the engine sees a timeout or a late
 *       reply; joins are never dropped nor delayed (an engine gives a join 10 s);</li>
 *   <li>for a while, its node-down handlers are <b>slow</b>: each one that starts then takes the given time.</li>
 * </ul>
 * Thread-safe: one lock, never held while a call is sent or a reply delivered.
 */
final class NodeControl {
    private final String node;
    private final int life;
    private final Recorder recorder;
    private final ScheduledExecutorService timers;
    private final Random random;

    // Guarded by this.
    private boolean paused;
    private boolean gone;
    /** Calls and replies held by a pause, in the order they came. */
    private final List<Held> held = new ArrayList<>();
    private long dropUntil;
    private double dropProbability;
    private long delayUntil;
    private long delayMillis;
    private long slowUntil;
    private long slowMillis;

    private record Held(CallRecord call, Runnable action) {
    }

    NodeControl(String node, int life, Recorder recorder, ScheduledExecutorService timers, long seed) {
        this.node = node;
        this.life = life;
        this.recorder = recorder;
        this.timers = timers;
        this.random = new Random(seed);
    }

    String node() {
        return node;
    }

    int life() {
        return life;
    }

    /**
     * @param call the call
     * @param send sends it to the real store: now, at the end of a pause, or never if the life is gone
     */
    void request(CallRecord call, Runnable send) {
        synchronized (this) {
            if (gone) {
                recorder.fate(call, Fate.DISCARDED);
                return;
            }
            if (paused) {
                held.add(new Held(call, send));
                return;
            }
        }
        send.run();
    }

    /**
     * @param call    the call whose real reply arrived (and is recorded)
     * @param deliver hands it to the engine; false if the engine had given up on it
     */
    void reply(CallRecord call, BooleanSupplier deliver) {
        long delay = 0;
        synchronized (this) {
            if (gone) {
                recorder.fate(call, Fate.DISCARDED);
                return;
            }
            if (paused) {
                held.add(new Held(call, () -> reply(call, deliver)));
                return;
            }
            long now = System.nanoTime();
            boolean faulty = call.op() == Op.HEARTBEAT || call.op() == Op.LEAVE;
            if (faulty && now - dropUntil < 0 && random.nextDouble() < dropProbability) {
                recorder.fate(call, Fate.DROPPED);
                return;
            }
            if (faulty && now - delayUntil < 0) {
                delay = delayMillis;
            }
        }
        if (delay > 0) {
            timers.schedule(() -> deliverLate(call, deliver), delay, TimeUnit.MILLISECONDS);
        } else {
            deliver(call, deliver);
        }
    }

    private void deliverLate(CallRecord call, BooleanSupplier deliver) {
        synchronized (this) {
            if (gone) {
                recorder.fate(call, Fate.DISCARDED);
                return;
            }
            if (paused) {
                held.add(new Held(call, () -> deliverLate(call, deliver)));
                return;
            }
        }
        deliver(call, deliver);
    }

    private void deliver(CallRecord call, BooleanSupplier deliver) {
        // Recorded before the engine sees it, so that a handler it starts comes after the delivery in the history.
        recorder.fate(call, Fate.DELIVERED);
        if (!deliver.getAsBoolean()) {
            recorder.fate(call, Fate.LATE);
        }
    }

    /** Stops the life, as SIGSTOP would. */
    void pause() {
        synchronized (this) {
            if (gone || paused) {
                return;
            }
            paused = true;
            recorder.node(node, life, NodeKind.PAUSED, 0, "");
        }
    }

    /** Ends a pause: held calls go out and held replies come in, in the order they came. */
    void resume() {
        List<Held> release;
        synchronized (this) {
            if (!paused) {
                return;
            }
            paused = false;
            recorder.node(node, life, NodeKind.RESUMED, 0, "");
            release = new ArrayList<>(held);
            held.clear();
            notifyAll();
        }
        for (Held h : release) {
            h.action().run();
        }
    }

    /**
     * The process is gone: killed, or it closed and exited. Nothing of it runs any more.
     *
     * @param kind {@link NodeKind#KILLED} or {@link NodeKind#CLOSED}
     */
    void end(NodeKind kind) {
        synchronized (this) {
            if (gone) {
                return;
            }
            gone = true;
            paused = false;
            for (Held h : held) {
                recorder.fate(h.call(), Fate.DISCARDED);
            }
            held.clear();
            recorder.node(node, life, kind, 0, "");
            notifyAll();
        }
    }

    synchronized boolean gone() {
        return gone;
    }

    /**
     * @param millis      for how long
     * @param probability the chance that each reply is dropped
     */
    synchronized void dropReplies(long millis, double probability) {
        dropUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        dropProbability = probability;
        recorder.node(node, life, NodeKind.FAULT, 0, "drop replies for " + millis + " ms, p=" + probability);
    }

    /**
     * @param millis for how long
     * @param delay  by how much each reply is delayed
     */
    synchronized void delayReplies(long millis, long delay) {
        delayUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        delayMillis = delay;
        recorder.node(node, life, NodeKind.FAULT, 0, "delay replies by " + delay + " ms for " + millis + " ms");
    }

    /**
     * @param millis        for how long
     * @param handlerMillis how long each handler that starts meanwhile takes
     */
    synchronized void slowHandlers(long millis, long handlerMillis) {
        slowUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        slowMillis = handlerMillis;
        recorder.node(node, life, NodeKind.FAULT, 0, "handlers take " + handlerMillis + " ms for " + millis + " ms");
    }

    /** Lifts the reply and handler faults (a pause is ended by {@link #resume()}). */
    synchronized void lift() {
        dropUntil = delayUntil = slowUntil = System.nanoTime();
    }

    /**
     * The body of a node-down handler: works for the time the faults say (a slow window) or for 0 to 2 ms, and at
     * least {@code atLeastMillis}, making progress only while the life is not paused.
     *
     * @param atLeastMillis the shortest run (a strike during the handler makes it last until then)
     * @return true if it ran to its end, false if the life was gone first
     */
    boolean work(long atLeastMillis) {
        synchronized (this) {
            long remaining = TimeUnit.MILLISECONDS.toNanos(Math.max(atLeastMillis,
                    System.nanoTime() - slowUntil < 0 ? slowMillis : random.nextInt(3)));
            long last = System.nanoTime();
            while (true) {
                if (gone) {
                    return false;
                }
                long now = System.nanoTime();
                if (!paused) {
                    remaining -= now - last;
                    if (remaining <= 0) {
                        return true;
                    }
                }
                last = now;
                try {
                    wait(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(remaining))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}
