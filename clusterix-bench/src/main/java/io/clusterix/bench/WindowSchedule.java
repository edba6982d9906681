package io.clusterix.bench;

import io.clusterix.fixture.RedisServerProcess;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * What one measurement window does to the cluster: which members die (a seeded shuffle), and when, spread over the
 * window with the last one early enough to be detected before it ends; in churn mode as many new nodes, each joining
 * half a step after a kill; with {@code --redis-pause-ms}, a frozen Redis halfway. Keeps who survived and who joined,
 * for the wait for the views at the end.
 */
final class WindowSchedule {
    private final ScaleSimulator.Settings s;
    private final int n;
    private final List<VirtualNode> candidates;
    private final List<VirtualNode> victims;
    private final List<VirtualNode> survivors;
    private final List<VirtualNode> joiners;
    private final int killCount;
    private final int churn;

    /**
     * Picks the victims among the members of {@code nodes}: as many as the churn, or else the kill fraction of N (at
     * least {@code --min-kills}); at most half the members.
     */
    WindowSchedule(ScaleSimulator.Settings settings, int n, List<VirtualNode> nodes) {
        this.s = settings;
        this.n = n;
        candidates = new ArrayList<>(nodes.stream().filter(node -> node.member).toList());
        Collections.shuffle(candidates, new Random(s.seed));
        churn = s.churnCount(n, s.durationS);
        killCount = Math.min(candidates.size() / 2, churn > 0 ? churn
                : Math.max(s.minKills, (int) Math.round(n * s.killFraction)));
        victims = candidates.subList(0, killCount);
        victims.forEach(victim -> victim.victim = true);
        survivors = new ArrayList<>(candidates.subList(killCount, candidates.size()));
        joiners = new ArrayList<>(churn);
    }

    /** @return how many members the window kills */
    int killCount() {
        return killCount;
    }

    /** @return how many new nodes the window starts, 0 without churn */
    int churn() {
        return churn;
    }

    /** @return the members the window kills */
    List<VirtualNode> victims() {
        return victims;
    }

    /**
     * Kills the victims and starts the new nodes at their times, then waits for the end of the window.
     *
     * @param t0      System.nanoTime() at the start of the window
     * @param newNode makes the measured node number {@code n + k}, in the run's nodes, not started yet
     * @throws InterruptedException if interrupted
     */
    void run(long t0, IntFunction<VirtualNode> newNode) throws InterruptedException {
        long windowNanos = TimeUnit.SECONDS.toNanos(s.durationS);
        long t1 = t0 + windowNanos;
        // Spread the kills (and in churn mode the joins, half a step after each kill) over the window, the last one
        // early enough to be detected before it ends.
        long firstKill = t0 + windowNanos / 20;
        long lastKill = Math.max(firstKill, t1 - TimeUnit.MILLISECONDS.toNanos(s.timeoutMs + s.pollMs + 1000));
        long step = killCount <= 1 ? 0 : (lastKill - firstKill) / (killCount - 1);
        for (int k = 0; k < Math.max(killCount, churn); k++) {
            long at = killCount <= 1 ? firstKill : firstKill + (lastKill - firstKill) * k / (killCount - 1);
            if (k < killCount) {
                sleepUntil(at);
                VirtualNode victim = victims.get(k);
                victim.killedAt = System.nanoTime();
                victim.cluster.dispose();
            }
            if (k < churn) {
                sleepUntil(at + (step > 0 ? step / 2 : windowNanos / 20));
                VirtualNode joiner = newNode.apply(n + k);
                joiners.add(joiner);
                joiner.join().exceptionally(error -> {
                    SimulationRun.log("new node %s could not join: %s", joiner.id, error);
                    return null;
                });
            }
        }
        sleepUntil(t1);
    }

    /**
     * Freezes the Redis process (SIGSTOP) for {@code --redis-pause-ms} at the given time, then lets it go on
     * (SIGCONT): what a fork for a snapshot of a big dataset, a slow command or a stalled disk does to every node.
     *
     * @param server   the Redis this simulator started; null with {@code --redis-url}, which cannot be paused
     * @param executor where the pause waits for its time and runs
     * @param atNanos  when, System.nanoTime()
     */
    void pauseRedis(RedisServerProcess server, ScheduledExecutorService executor, long atNanos) {
        if (server == null) {
            throw new IllegalStateException("--redis-pause-ms needs a Redis this simulator starts (no --redis-url)");
        }
        String pid = Long.toString(server.process().pid());
        executor.schedule(() -> {
            try {
                new ProcessBuilder("kill", "-STOP", pid).start().waitFor();
                long stopped = System.nanoTime();
                Thread.sleep(s.redisPauseMs);
                new ProcessBuilder("kill", "-CONT", pid).start().waitFor();
                SimulationRun.log("Redis (pid %s) was stopped for %.0f ms", pid, (System.nanoTime() - stopped) / 1e6);
            } catch (Exception e) {
                SimulationRun.log("could not pause Redis: %s", e);
            }
        }, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** @return the survivors and the new nodes that are members now */
    int members() {
        return (int) (survivors.stream().filter(node -> node.member).count()
                + joiners.stream().filter(node -> node.member).count());
    }

    /** Counts the new nodes that joined among the survivors, whose views must reach the cluster's last version. */
    void joinersSurvive() {
        survivors.addAll(joiners.stream().filter(node -> node.member).toList());
    }

    /** @return how many surviving members have not reached {@code version} yet */
    int behind(long version) {
        int behind = 0;
        for (VirtualNode node : survivors) {
            if (node.member && node.cluster.view().version() < version) {
                behind++;
            }
        }
        return behind;
    }

    /** @return the surviving members, with the new nodes once {@link #joinersSurvive()} counted them */
    int survivors() {
        return survivors.size();
    }

    /** @return the new nodes started */
    int joiners() {
        return joiners.size();
    }

    /** @return the versions the joins of the new nodes returned, sorted; those still joining are left out */
    long[] joinVersions() {
        return joiners.stream().filter(node -> node.joinVersion >= 0).mapToLong(node -> node.joinVersion).sorted()
                .toArray();
    }

    /** Drops the nodes, so that a full GC can tell what they cost. */
    void clear() {
        candidates.clear();
        survivors.clear();
        joiners.clear();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
