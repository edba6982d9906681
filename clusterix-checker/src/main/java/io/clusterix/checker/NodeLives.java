package io.clusterix.checker;

import io.clusterix.Clusterix;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.Recorder.HandlerRecord;
import io.clusterix.spi.HeartbeatStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.clusterix.checker.ScheduleRunner.MIN_RUNNING;

/**
 * The node lives of one {@link ScheduleRunner} run: starts each life (a {@code Clusterix} on its own
 * {@link FaultyStore} over the run's real store, its listeners recorded), crashes and closes lives, strikes the
 * handlers that start in a {@link Step.HandlerFaults} window, and tells which lives run and which are members. A
 * crash or leave that would leave fewer than {@link ScheduleRunner#MIN_RUNNING} lives running is skipped, and noted.
 */
final class NodeLives {
    /** One node life: a {@code Clusterix} instance, a process as far as faults go. */
    static final class Life {
        final String node;
        final int number;
        final NodeControl control;
        final Clusterix cluster;
        volatile boolean leaving;

        Life(String node, int number, NodeControl control, Clusterix cluster) {
            this.node = node;
            this.number = number;
            this.control = control;
            this.cluster = cluster;
        }

        boolean running() {
            return !leaving && !control.gone();
        }
    }

    /** What strikes a handler: its life is killed ({@code pauseMillis} 0) or paused, {@code afterMillis} into it. */
    private record Strike(long afterMillis, long pauseMillis) {
    }

    private final Schedule schedule;
    private final HeartbeatStore real;
    private final Recorder recorder;
    /** The runner's step thread: pause ends and strikes. */
    private final ScheduledExecutorService steps;
    /** Delayed replies. */
    private final ScheduledExecutorService timers;
    /** {@code close()}, which waits for the leave. */
    private final ExecutorService closers;
    /** The runner's log. */
    private final Consumer<String> note;
    // Guarded by this.
    private final Map<String, Life> current = new HashMap<>();
    private final Map<Integer, Life> lives = new HashMap<>();
    private boolean lifted;
    /** The end of the latest {@link Step.HandlerFaults} window. */
    private long handlerFaultsUntil;
    /** Draws the strikes of {@link Step.HandlerFaults}. */
    private final Random strikes;

    /**
     * @param schedule the run's schedule: node ids, intervals, seed
     * @param real     the run's real store, which every life's {@link FaultyStore} forwards to
     * @param recorder records the lives' calls, handlers and events
     * @param steps    the runner's step thread, for pause ends and strikes
     * @param timers   the thread of delayed replies
     * @param closers  the threads that run {@code close()}
     * @param note     adds a line to the runner's log
     */
    NodeLives(Schedule schedule, HeartbeatStore real, Recorder recorder, ScheduledExecutorService steps,
              ScheduledExecutorService timers, ExecutorService closers, Consumer<String> note) {
        this.schedule = schedule;
        this.real = real;
        this.recorder = recorder;
        this.steps = steps;
        this.timers = timers;
        this.closers = closers;
        this.note = note;
        this.strikes = new Random(schedule.seed() ^ 0x5DEECE66DL);
    }

    private void note(String message) {
        note.accept(message);
    }

    /** @return the latest life of {@code node}, or null if it never joined */
    synchronized Life life(String node) {
        return current.get(node);
    }

    private synchronized int running() {
        int running = 0;
        for (Life life : current.values()) {
            running += life.running() ? 1 : 0;
        }
        return running;
    }

    /** Starts a new life of {@code node} and its {@code initializeNode()}. */
    void join(String node) {
        Life life;
        synchronized (this) {
            Life now = current.get(node);
            if (now != null && !now.control.gone()) {
                // A strike killed an id the schedule's model believes up: join that one instead.
                String dead = schedule.nodes().stream()
                        .filter(id -> current.get(id) == null || current.get(id).control.gone()).findFirst()
                        .orElse(null);
                if (dead == null) {
                    note("skip join of " + node + ": life " + now.number + " runs, and every id runs one");
                    return;
                }
                note("join of " + node + ": life " + now.number + " runs; joining " + dead + " instead");
                join(dead);
                return;
            }
            int number = lives.size() + 1;
            NodeControl control = new NodeControl(node, number, recorder, timers, schedule.seed() * 1_000_003L
                    + number);
            Timing t = schedule.timing();
            Clusterix cluster = Clusterix.builder(new FaultyStore(real, control, recorder)).keyPrefix("checker")
                    .id("seed-" + schedule.seed()).nodeId(node)
                    .heartbeatInterval(Duration.ofMillis(t.heartbeatMillis()))
                    .pollInterval(Duration.ofMillis(t.pollMillis())).timeout(Duration.ofMillis(t.timeoutMillis()))
                    .handlerTimeout(Duration.ofMillis(t.handlerTimeoutMillis())).leaveOnShutdown(false).build();
            life = new Life(node, number, control, cluster);
            current.put(node, life);
            lives.put(number, life);
        }
        life.cluster.onNodeDown(event -> {
            HandlerRecord handler = recorder.handlerStarted(node, life.number, event);
            Strike strike = strike(life);
            if (strike != null) {
                steps.schedule(() -> strike(life, strike), strike.afterMillis(), TimeUnit.MILLISECONDS);
            }
            recorder.handlerEnded(handler, life.control.work(strike == null ? 0 : strike.afterMillis() + 50));
        });
        life.cluster.onEvicted(event -> recorder.node(node, life.number, NodeKind.EVICTED, event.lostIncarnation(),
                event.reason().name()));
        recorder.node(node, life.number, NodeKind.STARTED, 0, "");
        note("join " + node + " (life " + life.number + ")");
        life.cluster.initializeNode().whenComplete((ignored, error) -> {
            if (error != null && !life.control.gone()) {
                note("initializeNode() of " + node + " (life " + life.number + ") failed: " + error);
            }
        });
    }

    /**
     * Kills a life ({@code dispose()}), as a crashed process.
     *
     * @param life the life, or null
     * @param what what the log calls this crash
     */
    void crash(Life life, String what) {
        if (life == null || !life.running()) {
            note("skip " + what + ": no running life");
            return;
        }
        if (running() <= MIN_RUNNING) {
            note("skip " + what + ": only " + MIN_RUNNING + " lives run");
            return;
        }
        note(what + " (life " + life.number + ")");
        life.control.end(NodeKind.KILLED);
        life.cluster.dispose();
    }

    /**
     * Opens a {@link Step.HandlerFaults} window of {@code windowMillis} from now. Overlapping windows extend each
     * other, never cut one short.
     */
    synchronized void openHandlerFaults(long windowMillis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(windowMillis);
        handlerFaultsUntil = until - handlerFaultsUntil > 0 ? until : handlerFaultsUntil;
    }

    /** @return what strikes a handler that starts now on this life, if a {@link Step.HandlerFaults} window is open */
    private synchronized Strike strike(Life life) {
        if (lifted || System.nanoTime() - handlerFaultsUntil > 0 || !life.running()) {
            return null;
        }
        int kind = strikes.nextInt(10);
        if (kind < 4) {
            return new Strike(strikes.nextInt(1_501), 0);
        }
        if (kind < 8) {
            return new Strike(strikes.nextInt(301), 700 + strikes.nextInt(1_801));
        }
        return null;
    }

    private void strike(Life life, Strike strike) {
        synchronized (this) {
            if (lifted) {
                return;
            }
        }
        if (strike.pauseMillis() == 0) {
            crash(life, "strike: crash " + life.node + " in its handler");
        } else if (life.running()) {
            note("strike: pause " + life.node + " (life " + life.number + ") in its handler for "
                    + strike.pauseMillis() + " ms");
            life.control.pause();
            steps.schedule(life.control::resume, strike.pauseMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Closes the running life of {@code node}: the graceful leave, on a closer thread. */
    void leave(String node) {
        Life life = life(node);
        if (life == null || !life.running()) {
            note("skip leave of " + node + ": no running life");
            return;
        }
        if (running() <= MIN_RUNNING) {
            note("skip leave of " + node + ": only " + MIN_RUNNING + " lives run");
            return;
        }
        note("leave " + node + " (life " + life.number + ")");
        life.leaving = true;
        recorder.node(node, life.number, NodeKind.CLOSING, 0, "");
        closers.execute(() -> {
            life.cluster.close();
            life.control.end(NodeKind.CLOSED);
        });
    }

    /** The end of the fault phase for the lives: every pause ends, every reply and handler fault is lifted. */
    void liftFaults() {
        List<Life> all;
        synchronized (this) {
            all = new ArrayList<>(lives.values());
            lifted = true;
        }
        for (Life life : all) {
            life.control.lift();
            life.control.resume();
        }
    }

    /** Kills every life, at the end of the run. */
    void killAll() {
        List<Life> all;
        synchronized (this) {
            all = new ArrayList<>(lives.values());
        }
        for (Life life : all) {
            life.control.end(NodeKind.KILLED);
            life.cluster.dispose();
        }
    }

    /** @return true if every running life is a member */
    synchronized boolean allMembers() {
        for (Life life : current.values()) {
            if (life.running() && life.cluster.incarnation() == 0) {
                return false;
            }
        }
        return true;
    }

    /** @return the incarnations of the running lives that are members */
    synchronized Set<Long> liveIncarnations() {
        Set<Long> live = new LinkedHashSet<>();
        for (Life life : current.values()) {
            long incarnation = life.cluster.incarnation();
            if (life.running() && incarnation != 0) {
                live.add(incarnation);
            }
        }
        return live;
    }
}
