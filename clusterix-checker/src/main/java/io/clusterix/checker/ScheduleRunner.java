package io.clusterix.checker;

import io.clusterix.Clusterix;
import io.clusterix.checker.History.NodeKind;
import io.clusterix.checker.Recorder.HandlerRecord;
import io.clusterix.lettuce.LettuceHeartbeatStore;
import io.clusterix.spi.HeartbeatStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one {@link Schedule} against a fresh redis-server: one Lettuce client and one real store for the run, and for
 * each node life a {@code Clusterix} built on a {@link FaultyStore} with the real {@code Ticker} and shared
 * scheduler ({@code Clusterix.builder(store)}). Applies the steps at their times, lifts every fault when the fault
 * phase ends, waits through the quiet period (at least {@link #QUIET_MIN_MILLIS}, then until every death has been
 * handled to completion and every running life is a member, at most {@link #QUIET_MAX_MILLIS}), freezes the history
 * and checks it.
 */
public final class ScheduleRunner {
    /** Crashes and leaves that would leave fewer lives running than this are skipped: someone must handle deaths. */
    public static final int MIN_RUNNING = 3;
    /** Shortest quiet period. */
    public static final long QUIET_MIN_MILLIS = 2_000;
    /** Longest quiet period: a run whose deaths are still unhandled then fails {@link Invariant#HANDLED}. */
    public static final long QUIET_MAX_MILLIS = 20_000;
    /** After this much quiet, lives that are not members (a failed join) no longer hold the run. */
    private static final long MEMBERS_WAIT_MILLIS = 5_000;

    /**
     * What one run found.
     *
     * @param schedule   the schedule
     * @param history    what was recorded
     * @param violations what the checker found; empty for a run that passed
     * @param log        what the runner did and skipped, with times
     * @param millis     how long the run took
     */
    public record Outcome(Schedule schedule, History history, List<Violation> violations, List<String> log,
                          long millis) {
        /** Copies the lists. */
        public Outcome {
            violations = List.copyOf(violations);
            log = List.copyOf(log);
        }

        /** @return true if no invariant was violated */
        public boolean passed() {
            return violations.isEmpty();
        }

        /** @return one line: the run's size, its faults' effects and its result */
        public String summary() {
            Set<Long> deaths = new LinkedHashSet<>();
            long again = 0;
            for (History.Call call : history.calls()) {
                if (call.reply() != null) {
                    for (io.clusterix.NodeDownEvent dead : call.reply().claimed()) {
                        deaths.add(dead.incarnation());
                        again += dead.delivery() > 1 ? 1 : 0;
                    }
                }
            }
            long evictions = history.nodeEvents().stream().filter(e -> e.kind() == NodeKind.EVICTED).count();
            long dropped = history.calls().stream().filter(c -> c.fate() == History.Fate.DROPPED).count();
            long late = history.calls().stream().filter(c -> c.fate() == History.Fate.LATE).count();
            long stopped = history.handlers().stream().filter(h -> h.ended() >= 0 && !h.completed()).count();
            return String.format("seed=%d: %d nodes, poll %d ms, %d steps; %d calls (%d replies dropped, %d late),"
                            + " %d deaths claimed (%d claims again after a lapse), %d handlers (%d stopped by their"
                            + " node's end), %d evictions; %d violations (%.1f s)", schedule.seed(),
                    schedule.nodes().size(), schedule.timing().pollMillis(), schedule.steps().size(),
                    history.calls().size(), dropped, late, deaths.size(), again, history.handlers().size(), stopped,
                    evictions, violations.size(), millis / 1000.0);
        }

        /** @return the schedule, the runner's log, the violations and every recorded call, for a report file */
        public String report() {
            HistoryDescriber describer = new HistoryDescriber(history);
            StringBuilder out = new StringBuilder(summary()).append("\n\n").append(schedule.describe())
                    .append("\nRunner:\n");
            log.forEach(line -> out.append("  ").append(line).append('\n'));
            out.append("\nViolations:\n");
            violations.forEach(v -> out.append("  ").append(v).append('\n'));
            out.append("\nCalls:\n");
            history.calls().forEach(c -> out.append("  ").append(describer.describe(c)).append('\n'));
            out.append("\nHandlers:\n");
            history.handlers().forEach(h -> out.append("  ").append(describer.describe(h)).append('\n'));
            out.append("\nNode and Redis events:\n");
            history.nodeEvents().forEach(e -> out.append("  ").append(describer.describe(e)).append('\n'));
            history.redisEvents().forEach(e -> out.append("  redis ").append(e.kind()).append(' ')
                    .append(describer.time(history.serverMillis(e.at()))).append('\n'));
            return out.toString();
        }
    }

    /** One node life: a {@code Clusterix} instance, a process as far as faults go. */
    private static final class Life {
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

    private final Schedule schedule;
    private final Path workDir;
    private final Recorder recorder = new Recorder();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** Steps, pause ends and the end of the fault phase, one at a time. */
    private final ScheduledExecutorService steps = Executors.newSingleThreadScheduledExecutor(
            daemons("checker-steps-"));
    /** Delayed replies. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            daemons("checker-delays-"));
    /** SIGSTOP, SIGCONT and restarts of Redis, one at a time. */
    private final ExecutorService redisActions = Executors.newSingleThreadExecutor(daemons("checker-redis-"));
    /** {@code close()}, which waits for the leave. */
    private final ExecutorService closers = Executors.newCachedThreadPool(daemons("checker-close-"));
    // Guarded by this.
    private final Map<String, Life> current = new HashMap<>();
    private final Map<Integer, Life> lives = new HashMap<>();
    private boolean redisStalled;
    private boolean lifted;
    /** The end of the latest {@link Step.HandlerFaults} window. */
    private long handlerFaultsUntil;
    /** Draws the strikes of {@link Step.HandlerFaults}. */
    private final Random strikes;

    /** What strikes a handler: its life is killed ({@code pauseMillis} 0) or paused, {@code afterMillis} into it. */
    private record Strike(long afterMillis, long pauseMillis) {
    }

    private CheckerRedis redis;
    private HeartbeatStore real;
    private long started;

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private ScheduleRunner(Schedule schedule, Path workDir) {
        this.schedule = schedule;
        this.workDir = workDir;
        this.strikes = new Random(schedule.seed() ^ 0x5DEECE66DL);
    }

    /**
     * @param schedule the schedule
     * @param workDir  where the run's Redis keeps its data (deleted after the run)
     * @return what the run found
     */
    public static Outcome run(Schedule schedule, Path workDir) {
        return new ScheduleRunner(schedule, workDir).execute();
    }

    private Outcome execute() {
        long begin = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory(Files.createDirectories(workDir), "seed-" + schedule.seed() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory in " + workDir, e);
        }
        redis = CheckerRedis.start(dir, recorder);
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2)
                .computationThreadPoolSize(2).reconnectDelay(Delay.constant(Duration.ofMillis(20))).build();
        RedisClient client = RedisClient.create(resources, redis.url());
        real = new LettuceHeartbeatStore(client);
        try {
            started = System.nanoTime();
            for (Step step : schedule.steps()) {
                steps.schedule(() -> apply(step), step.at(), TimeUnit.MILLISECONDS);
            }
            steps.schedule(this::liftFaults, schedule.faultMillis(), TimeUnit.MILLISECONDS).get();
            quiet();
            History history = recorder.snapshot(schedule.timing(), liveIncarnations());
            List<Violation> violations = new HistoryChecker(history).check();
            return new Outcome(schedule, history, violations, log, (System.nanoTime() - begin) / 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in the run of seed " + schedule.seed(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the run of seed " + schedule.seed() + " failed", e.getCause());
        } finally {
            steps.shutdownNow();
            List<Life> all;
            synchronized (this) {
                all = new ArrayList<>(lives.values());
            }
            for (Life life : all) {
                life.control.end(NodeKind.KILLED);
                life.cluster.dispose();
            }
            closers.shutdownNow();
            redisActions.shutdownNow();
            timers.shutdownNow();
            real.close();
            client.shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            redis.close();
        }
    }

    private void note(String message) {
        log.add(String.format("+%.3fs %s", (System.nanoTime() - started) / 1e9, message));
    }

    private void apply(Step step) {
        try {
            if (step instanceof Step.Join join) {
                join(join.node());
            } else if (step instanceof Step.Crash crash) {
                crash(life(crash.node()), "crash " + crash.node());
            } else if (step instanceof Step.HandlerFaults faults) {
                synchronized (this) {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(faults.windowMillis());
                    handlerFaultsUntil = until - handlerFaultsUntil > 0 ? until : handlerFaultsUntil;
                }
            } else if (step instanceof Step.Leave leave) {
                leave(leave.node());
            } else if (step instanceof Step.Pause pause) {
                Life life = life(pause.node());
                if (life == null || !life.running()) {
                    note("skip " + step + ": no running life");
                    return;
                }
                life.control.pause();
                steps.schedule(life.control::resume, pause.millis(), TimeUnit.MILLISECONDS);
            } else if (step instanceof Step.DropReplies drop) {
                Life life = life(drop.node());
                if (life != null) {
                    life.control.dropReplies(drop.millis(), drop.probability());
                }
            } else if (step instanceof Step.DelayReplies delay) {
                Life life = life(delay.node());
                if (life != null) {
                    life.control.delayReplies(delay.millis(), delay.delayMillis());
                }
            } else if (step instanceof Step.SlowHandlers slow) {
                Life life = life(slow.node());
                if (life != null) {
                    life.control.slowHandlers(slow.millis(), slow.handlerMillis());
                }
            } else if (step instanceof Step.StallRedis stall) {
                redisActions.execute(this::stallRedis);
                steps.schedule(() -> redisActions.execute(this::resumeRedis), stall.millis(), TimeUnit.MILLISECONDS);
            } else if (step instanceof Step.RestartRedis) {
                redisActions.execute(() -> {
                    redis.restart();
                    note("redis restarted");
                });
            }
        } catch (RuntimeException e) {
            note("step " + step + " failed: " + e);
        }
    }

    private synchronized Life life(String node) {
        return current.get(node);
    }

    private synchronized int running() {
        int running = 0;
        for (Life life : current.values()) {
            running += life.running() ? 1 : 0;
        }
        return running;
    }

    private void join(String node) {
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

    private void crash(Life life, String what) {
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

    private void leave(String node) {
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

    private void stallRedis() {
        synchronized (this) {
            if (redisStalled) {
                return;
            }
            redisStalled = true;
        }
        redis.stall();
        note("redis stalled");
    }

    private void resumeRedis() {
        synchronized (this) {
            if (!redisStalled) {
                return;
            }
            redisStalled = false;
        }
        redis.resume();
        note("redis resumed");
    }

    /** The end of the fault phase: every pause ends, every reply and handler fault is lifted, Redis runs. */
    private void liftFaults() {
        List<Life> all;
        synchronized (this) {
            all = new ArrayList<>(lives.values());
            lifted = true;
        }
        for (Life life : all) {
            life.control.lift();
            life.control.resume();
        }
        try {
            redisActions.submit(this::resumeRedis).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            note("resuming Redis failed: " + e.getCause());
        }
        note("faults lifted; quiet period");
    }

    private void quiet() throws InterruptedException {
        long quietStart = System.nanoTime();
        while (true) {
            Thread.sleep(200);
            long quiet = (System.nanoTime() - quietStart) / 1_000_000L;
            if (quiet >= QUIET_MAX_MILLIS) {
                note("quiet period ends after " + quiet + " ms with deaths unhandled or lives not members");
                return;
            }
            if (quiet < QUIET_MIN_MILLIS) {
                continue;
            }
            boolean members = quiet >= MEMBERS_WAIT_MILLIS || allMembers();
            if (members && HistoryChecker.unhandled(recorder.snapshot(schedule.timing(), Set.of())).isEmpty()) {
                note("quiet period ends after " + quiet + " ms: every death handled");
                return;
            }
        }
    }

    private synchronized boolean allMembers() {
        for (Life life : current.values()) {
            if (life.running() && life.cluster.incarnation() == 0) {
                return false;
            }
        }
        return true;
    }

    private synchronized Set<Long> liveIncarnations() {
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
