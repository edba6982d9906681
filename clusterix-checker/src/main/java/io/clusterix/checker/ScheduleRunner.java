package io.clusterix.checker;

import io.clusterix.checker.History.NodeKind;
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
import java.util.LinkedHashSet;
import java.util.List;
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
 * scheduler ({@code Clusterix.builder(store)}), which {@link NodeLives} starts, crashes and closes. Applies the steps
 * at their times, lifts every fault when the fault phase ends, waits through the quiet period (at least
 * {@link #QUIET_MIN_MILLIS}, then until every death has been handled to completion and every running life is a
 * member, at most {@link #QUIET_MAX_MILLIS}), freezes the history and checks it.
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
    private boolean redisStalled;

    private CheckerRedis redis;
    private HeartbeatStore real;
    private NodeLives lives;
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
        lives = new NodeLives(schedule, real, recorder, steps, timers, closers, this::note);
        try {
            started = System.nanoTime();
            for (Step step : schedule.steps()) {
                steps.schedule(() -> apply(step), step.at(), TimeUnit.MILLISECONDS);
            }
            steps.schedule(this::liftFaults, schedule.faultMillis(), TimeUnit.MILLISECONDS).get();
            quiet();
            History history = recorder.snapshot(schedule.timing(), lives.liveIncarnations());
            List<Violation> violations = new HistoryChecker(history).check();
            return new Outcome(schedule, history, violations, log, (System.nanoTime() - begin) / 1_000_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in the run of seed " + schedule.seed(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the run of seed " + schedule.seed() + " failed", e.getCause());
        } finally {
            steps.shutdownNow();
            lives.killAll();
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
                lives.join(join.node());
            } else if (step instanceof Step.Crash crash) {
                lives.crash(lives.life(crash.node()), "crash " + crash.node());
            } else if (step instanceof Step.HandlerFaults faults) {
                lives.openHandlerFaults(faults.windowMillis());
            } else if (step instanceof Step.Leave leave) {
                lives.leave(leave.node());
            } else if (step instanceof Step.Pause pause) {
                NodeLives.Life life = lives.life(pause.node());
                if (life == null || !life.running()) {
                    note("skip " + step + ": no running life");
                    return;
                }
                life.control.pause();
                steps.schedule(life.control::resume, pause.millis(), TimeUnit.MILLISECONDS);
            } else if (step instanceof Step.DropReplies drop) {
                NodeLives.Life life = lives.life(drop.node());
                if (life != null) {
                    life.control.dropReplies(drop.millis(), drop.probability());
                }
            } else if (step instanceof Step.DelayReplies delay) {
                NodeLives.Life life = lives.life(delay.node());
                if (life != null) {
                    life.control.delayReplies(delay.millis(), delay.delayMillis());
                }
            } else if (step instanceof Step.SlowHandlers slow) {
                NodeLives.Life life = lives.life(slow.node());
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
        lives.liftFaults();
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
            boolean members = quiet >= MEMBERS_WAIT_MILLIS || lives.allMembers();
            if (members && HistoryChecker.unhandled(recorder.snapshot(schedule.timing(), Set.of())).isEmpty()) {
                note("quiet period ends after " + quiet + " ms: every death handled");
                return;
            }
        }
    }
}
