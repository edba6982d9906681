package io.clusterix.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one run does, drawn from a seed: the nodes, the engines' intervals, and the timed {@link Step}s of its fault
 * phase. The same seed always gives the same schedule ({@link #generate}); the run itself is real time on real
 * threads, so a replay repeats the schedule, not every interleaving of it.
 *
 * <p>Shape: 6 to 10 nodes ({@code n1}...) join in the first 0.4 s; then, every 150 to 700 ms until
 * {@link #faultMillis()}, one fault, chosen by weight: crash a running node (10) or make it leave (7), as long as more
 * than {@code MIN_RUNNING + 1} run; rejoin a dead id (14); pause a node for 100 to 450 ms (6) or 700 to 2,500 ms
 * (10); drop (7) or delay (7) its replies for 0.3 to 1.5 s (delays 50 to 450 ms or 650 to 1,000 ms); make its
 * handlers slow for 0.5 to 3 s (each handler 100 to 500 ms, 700 to 1,800 ms, or 2,200 to 3,500 ms) (10); strike
 * the handlers that start in the next 1.5 to 4 s, killing or pausing their node ({@link Step.HandlerFaults}) (16);
 * stall Redis for 100 to 2,500 ms (4) or restart it (3), one Redis fault at a time. Heartbeats every 100 ms, {@code timeout} 600 ms, {@code handlerTimeout} 2 s,
 * {@code pollInterval} 100, 250 or 500 ms.
 *
 * @param seed        the seed
 * @param timing      the engines' intervals
 * @param nodes       the node ids
 * @param faultMillis how long the fault phase lasts; then the runner lifts every fault and waits (the quiet period)
 * @param steps       the steps, by time
 */
public record Schedule(long seed, Timing timing, List<String> nodes, long faultMillis, List<Step> steps) {
    /** Length of the fault phase. */
    public static final long FAULT_MILLIS = 12_000;

    /** Copies the lists. */
    public Schedule {
        nodes = List.copyOf(nodes);
        steps = List.copyOf(steps);
    }

    /**
     * @param seed any number
     * @return the schedule of that seed
     */
    public static Schedule generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int count = 6 + random.nextInt(5);
        List<String> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add("n" + i);
        }
        long[] polls = {100, 250, 500};
        Timing timing = new Timing(100, polls[random.nextInt(polls.length)], 600, 2_000);
        List<Step> steps = new ArrayList<>();
        for (String node : nodes) {
            steps.add(new Step.Join(random.nextInt(400), node));
        }
        // A model of which ids run, so that crashes and leaves target running ids and joins dead ones; kills by a
        // strike are not in it (the runner's join falls back to another dead id then).
        List<String> up = new ArrayList<>(nodes);
        List<String> down = new ArrayList<>();
        long redisBusyUntil = 0;
        for (long t = 800 + random.nextInt(400); t < FAULT_MILLIS - 300; t += 150 + random.nextInt(550)) {
            Step step = null;
            while (step == null) {
                String node = up.get(random.nextInt(up.size()));
                int pick = random.nextInt(94);
                if ((pick -= 10) < 0) {
                    if (up.size() > ScheduleRunner.MIN_RUNNING + 1) {
                        step = new Step.Crash(t, node);
                        up.remove(node);
                        down.add(node);
                    }
                } else if ((pick -= 7) < 0) {
                    if (up.size() > ScheduleRunner.MIN_RUNNING + 1) {
                        step = new Step.Leave(t, node);
                        up.remove(node);
                        down.add(node);
                    }
                } else if ((pick -= 14) < 0) {
                    if (!down.isEmpty()) {
                        String back = down.remove(random.nextInt(down.size()));
                        step = new Step.Join(t, back);
                        up.add(back);
                    }
                } else if ((pick -= 6) < 0) {
                    step = new Step.Pause(t, node, between(random, 100, 450));
                } else if ((pick -= 10) < 0) {
                    step = new Step.Pause(t, node, between(random, 700, 2_500));
                } else if ((pick -= 7) < 0) {
                    step = new Step.DropReplies(t, node, between(random, 300, 1_500),
                            Math.round((0.4 + 0.6 * random.nextDouble()) * 100) / 100.0);
                } else if ((pick -= 7) < 0) {
                    step = new Step.DelayReplies(t, node, between(random, 300, 1_500), random.nextBoolean()
                            ? between(random, 50, 450) : between(random, 650, 1_000));
                } else if ((pick -= 10) < 0) {
                    int kind = random.nextInt(5);
                    long handler = kind < 2 ? between(random, 100, 500) : kind < 4 ? between(random, 700, 1_800)
                            : between(random, 2_200, 3_500);
                    step = new Step.SlowHandlers(t, node, between(random, 500, 3_000), handler);
                } else if ((pick -= 16) < 0) {
                    step = new Step.HandlerFaults(t, between(random, 1_500, 4_000));
                } else if (t >= redisBusyUntil && (pick -= 4) < 0) {
                    int kind = random.nextInt(10);
                    long millis = kind < 3 ? between(random, 100, 400) : kind < 6 ? between(random, 450, 800)
                            : between(random, 900, 2_500);
                    step = new Step.StallRedis(t, millis);
                    redisBusyUntil = t + millis + 500;
                } else if (t >= redisBusyUntil) {
                    step = new Step.RestartRedis(t);
                    redisBusyUntil = t + 1_500;
                }
            }
            steps.add(step);
        }
        steps.sort(Comparator.comparingLong(Step::at));
        return new Schedule(seed, timing, nodes, FAULT_MILLIS, steps);
    }

    private static long between(SplittableRandom random, long low, long high) {
        return low + random.nextLong(high - low + 1);
    }

    /** @return the schedule, one step a line */
    public String describe() {
        StringBuilder out = new StringBuilder("seed=" + seed + ": " + nodes.size() + " nodes, heartbeat "
                + timing.heartbeatMillis() + " ms, poll " + timing.pollMillis() + " ms, timeout "
                + timing.timeoutMillis() + " ms, handlerTimeout " + timing.handlerTimeoutMillis() + " ms, faults for "
                + faultMillis + " ms\n");
        for (Step step : steps) {
            out.append(String.format("  %6d ms  %s%n", step.at(), step));
        }
        return out.toString();
    }
}
