package io.clusterix.bench;

import io.clusterix.Clusterix;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The scale simulator: N virtual nodes, each a real {@link Clusterix} instance, on one backend whose client holds K
 * connections that all nodes share, against one Redis. It starts the nodes spread over one heartbeat interval, waits
 * a warm-up, measures for the given duration while it kills a sample of nodes ({@code dispose()}: a crash, no leave)
 * spread over the window, and reports Redis CPU and commands, store calls per node per second, detection latency from
 * the kill and from the victim's last heartbeat, false "node down" events, and the simulator's own CPU, heap and
 * threads: a table on standard output and one CSV row per run (see {@link RunResult} for every column).
 *
 * <pre>
 * ScaleSimulator [--backend jedis,lettuce,redisson] [--nodes 100,1000,5000,10000] [--connections 8]
 *                [--heartbeat-ms 500] [--poll-ms 500] [--timeout-ms 1000] [--warmup-s 10] [--duration-s 60]
 *                [--jit-warmup-s 5] [--startup-s 0] [--startup-curve linear] [--kill-fraction 0.01] [--churn-per-min 0] [--min-kills 10]
 *                [--seed 1]
 *                [--redis-url redis://host:port] [--quiet-pct 30] [--quiet-wait-s 600] [--max-other-pct 25]
 *                [--retries 1] [--jedis-threads 0] [--redis-pause-ms 0] [--views on] [--csv results/scale.csv]
 * </pre>
 * Without {@code --redis-url}, each run starts a fresh {@code redis-server} on a free loopback port (the one inside
 * {@code embedded-redis}, Redis 6.2, or the binary named by {@code CLUSTERIX_REDIS_SERVER}) and kills it afterwards.
 * Each run gets a JVM of its own, with this JVM's options, so that no run inherits another's heap, threads or JIT
 * state.
 *
 * <p>Every recorded node registers a membership listener (its work: a map lookup and a few adders), so the run also
 * reports how membership views propagate: the time from a change's write (the Redis server time the script stores with
 * it) to its delivery to the last member, whether every member got the same view for each version (identity of the
 * shared view objects, else {@code equals}), and the history's and the members' share of Redis memory; see
 * {@link ViewTracker}.
 *
 * <p>{@code --churn-per-min F} (churn mode): instead of the kill sample, F·N nodes per minute of the window are killed
 * ({@code dispose()}) and as many new nodes (new ids, {@code node-N}, {@code node-N+1}, ...) are started, both spread
 * evenly over the window; 0, the default, keeps the kill sample of {@code --kill-fraction}.
 *
 * <p>{@code --startup-s S}: the N nodes start spread over S seconds instead of one heartbeat interval (the default,
 * 0). Since membership views a join returns the members (the kept snapshot: O(N) bytes) and is a change that every
 * member already started fetches with its next heartbeat, so that N joins cost O(N²) in all and a fast start of a
 * large N is a storm (see docs/PERFORMANCE.md); the window measures the cluster once it runs. With
 * {@code --startup-curve quadratic} node i starts at S·(i/N)² rather than S·i/N: while i members run, joins come at a
 * rate of about N/(2·sqrt(t·S)), so that members times join rate stays N²/(2S) through the start-up.
 *
 * <p>The machine is shared: before each run the simulator waits (at most {@code --quiet-wait-s}) until all processes
 * together use less than {@code --quiet-pct} percent of one core; each run records how much CPU processes other than
 * Redis and the simulator took during its window, and a run in which they took more than {@code --max-other-pct} is
 * repeated (at most {@code --retries} times; every attempt stays in the CSV, the chart takes the last).
 *
 * <p>{@code --jedis-threads T} (an experiment): the Jedis store runs T senders (pipelines in flight) on a fixed pool of T threads,
 * built with {@code JedisHeartbeatStore}'s public constructor, instead of the backend's shared unbounded pool that the
 * provider gives; such runs are labelled {@code jedis-tT}. {@code --redis-pause-ms P} (an experiment): in the middle
 * of the window, Redis is frozen with SIGSTOP for P ms, then continued. {@code --views off}: the nodes keep no
 * membership view ({@code membershipView(false)}: their heartbeats ask for no changes) and register no membership
 * listener, to measure what views cost; such runs are labelled {@code <backend>-noviews}.
 */
public final class ScaleSimulator {
    private static final String CHILD_FLAG = "--single-run";

    private ScaleSimulator() {
    }

    /**
     * @param args see the class comment
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        if (settings.child) {
            RunResult result = new SimulationRun(settings, settings.backends.get(0), settings.nodes.get(0)).run();
            result.appendTo(settings.csv);
            System.out.println(result.tableRow());
            return;
        }
        int before = Files.exists(settings.csv) ? RunResult.readAll(settings.csv).size() : 0;
        System.out.println(RunResult.tableHeader());
        for (Backend backend : settings.backends) {
            for (int n : settings.nodes) {
                for (int attempt = 0; attempt <= settings.retries; attempt++) {
                    int rows = Files.exists(settings.csv) ? RunResult.readAll(settings.csv).size() : 0;
                    int code = fork(settings, backend, n);
                    List<RunResult> all = Files.exists(settings.csv) ? RunResult.readAll(settings.csv) : List.of();
                    if (code != 0 || all.size() == rows) {
                        SimulationRun.log("the run %s N=%d failed (exit status %d); going on with the next",
                                backend.id(), n, code);
                        break;
                    }
                    double other = all.get(all.size() - 1).otherCpuPct();
                    if (other <= settings.maxOtherPct) {
                        break;
                    }
                    SimulationRun.log("other processes took %.0f%% of one core during the window (more than"
                            + " --max-other-pct %.0f)%s", other, settings.maxOtherPct,
                            attempt < settings.retries ? "; running it again" : "; keeping it, marked by other%");
                }
            }
        }
        List<RunResult> all = RunResult.readAll(settings.csv);
        System.out.println();
        System.out.println("All runs of this command (also in " + settings.csv.toAbsolutePath().normalize() + "):");
        System.out.println(RunResult.tableHeader());
        all.subList(Math.min(before, all.size()), all.size()).forEach(r -> System.out.println(r.tableRow()));
    }

    /** Runs one configuration in a child JVM with this JVM's options and class path. */
    private static int fork(Settings settings, Backend backend, int nodes) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ScaleSimulator.class.getName());
        command.addAll(settings.argsFor(backend, nodes));
        command.add(CHILD_FLAG);
        Process child = new ProcessBuilder(command).inheritIO().start();
        try {
            return child.waitFor();
        } finally {
            child.destroyForcibly();
        }
    }

    /** The command line. */
    static final class Settings {
        List<Backend> backends = List.of(Backend.JEDIS);
        List<Integer> nodes = List.of(1000);
        int connections = 8;
        long heartbeatMs = Clusterix.DEFAULT_HEARTBEAT_INTERVAL.toMillis();
        long pollMs = Clusterix.DEFAULT_POLL_INTERVAL.toMillis();
        long timeoutMs = Clusterix.DEFAULT_TIMEOUT.toMillis();
        long warmupS = 10;
        long durationS = 60;
        long jitWarmupS = 5;
        long startupS;
        boolean quadraticStartup;
        double killFraction = 0.01;
        double churnPerMin;
        int minKills = 10;
        long seed = 1;
        String redisUrl;
        double quietPct = 30;
        long quietWaitS = 600;
        int jedisThreads;
        long redisPauseMs;
        boolean views = true;
        double maxOtherPct = 25;
        int retries = 1;
        Path csv = Path.of("results", "scale.csv");
        boolean child;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals(CHILD_FLAG)) {
                    s.child = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw usage("option " + option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--backend" -> s.backends = Arrays.stream(value.split(",")).map(Backend::of).toList();
                    case "--nodes" -> s.nodes = Arrays.stream(value.split(",")).map(v -> positive(option, v)).toList();
                    case "--connections" -> s.connections = positive(option, value);
                    case "--heartbeat-ms" -> s.heartbeatMs = positive(option, value);
                    case "--poll-ms" -> s.pollMs = positive(option, value);
                    case "--timeout-ms" -> s.timeoutMs = positive(option, value);
                    case "--warmup-s" -> s.warmupS = Long.parseLong(value);
                    case "--duration-s" -> s.durationS = positive(option, value);
                    case "--jit-warmup-s" -> s.jitWarmupS = Long.parseLong(value);
                    case "--startup-s" -> s.startupS = Long.parseLong(value);
                    case "--startup-curve" -> s.quadraticStartup = curve(option, value);
                    case "--kill-fraction" -> s.killFraction = Double.parseDouble(value);
                    case "--churn-per-min" -> s.churnPerMin = fraction(option, value);
                    case "--min-kills" -> s.minKills = Integer.parseInt(value);
                    case "--seed" -> s.seed = Long.parseLong(value);
                    case "--redis-url" -> s.redisUrl = value;
                    case "--quiet-pct" -> s.quietPct = Double.parseDouble(value);
                    case "--quiet-wait-s" -> s.quietWaitS = Long.parseLong(value);
                    case "--max-other-pct" -> s.maxOtherPct = Double.parseDouble(value);
                    case "--retries" -> s.retries = Integer.parseInt(value);
                    case "--jedis-threads" -> s.jedisThreads = Integer.parseInt(value);
                    case "--redis-pause-ms" -> s.redisPauseMs = Long.parseLong(value);
                    case "--views" -> s.views = onOff(option, value);
                    case "--csv" -> s.csv = Path.of(value);
                    default -> throw usage("unknown option " + option);
                }
            }
            return s;
        }

        /** @return the arguments that make a child JVM run exactly one of this command line's runs */
        List<String> argsFor(Backend backend, int n) {
            List<String> args = new ArrayList<>(List.of("--backend", backend.id(), "--nodes", Integer.toString(n),
                    "--connections", Integer.toString(connections), "--heartbeat-ms", Long.toString(heartbeatMs),
                    "--poll-ms", Long.toString(pollMs), "--timeout-ms", Long.toString(timeoutMs),
                    "--warmup-s", Long.toString(warmupS), "--duration-s", Long.toString(durationS),
                    "--jit-warmup-s", Long.toString(jitWarmupS),
                    "--startup-s", Long.toString(startupS),
                    "--startup-curve", quadraticStartup ? "quadratic" : "linear", "--kill-fraction", Double.toString(killFraction),
                    "--churn-per-min", Double.toString(churnPerMin),
                    "--min-kills", Integer.toString(minKills), "--seed", Long.toString(seed),
                    "--quiet-pct", Double.toString(quietPct), "--quiet-wait-s", Long.toString(quietWaitS),
                    "--jedis-threads", Integer.toString(jedisThreads), "--redis-pause-ms", Long.toString(redisPauseMs),
                    "--views", views ? "on" : "off",
                    "--csv", csv.toString()));
            if (redisUrl != null) {
                args.addAll(List.of("--redis-url", redisUrl));
            }
            return args;
        }

        private static int positive(String option, String value) {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw usage(option + " must be positive, was " + value);
            }
            return parsed;
        }

        private static boolean onOff(String option, String value) {
            return switch (value.trim()) {
                case "on" -> true;
                case "off" -> false;
                default -> throw usage(option + " must be on or off, was " + value);
            };
        }

        private static boolean curve(String option, String value) {
            return switch (value.trim()) {
                case "linear" -> false;
                case "quadratic" -> true;
                default -> throw usage(option + " must be linear or quadratic, was " + value);
            };
        }

        /**
         * @param node the node's index, 0 to N - 1
         * @param n    N
         * @return when that node starts, nanoseconds after the first: spread evenly over one heartbeat interval, or
         *         over {@code --startup-s}, linearly or (quadratic) at S·(i/N)², so that joins, each O(members) in
         *         Redis, load Redis evenly while the cluster grows
         */
        long startOffsetNanos(int node, int n) {
            if (startupS <= 0) {
                return node * TimeUnit.MILLISECONDS.toNanos(heartbeatMs) / n;
            }
            double f = node / (double) n;
            return (long) (TimeUnit.SECONDS.toNanos(startupS) * (quadraticStartup ? f * f : f));
        }

        private static double fraction(String option, String value) {
            double parsed = Double.parseDouble(value.trim());
            if (!(parsed >= 0 && parsed < 1)) {
                throw usage(option + " must be a fraction of N per minute, at least 0 and below 1 (0.01 for 1 %), was "
                        + value);
            }
            return parsed;
        }

        /**
         * @param nodes   N
         * @param windowS the measurement window, seconds
         * @return churn mode: nodes killed, and new ones started, during the window (at least one each); 0 without
         */
        int churnCount(int nodes, long windowS) {
            if (churnPerMin <= 0) {
                return 0;
            }
            return (int) Math.max(1, Math.round(churnPerMin * nodes * windowS / 60.0));
        }

        private static IllegalArgumentException usage(String problem) {
            return new IllegalArgumentException(String.format(Locale.ROOT, "%s. Usage: ScaleSimulator"
                    + " [--backend jedis,lettuce,redisson] [--nodes 100,1000] [--connections 8] [--heartbeat-ms 500]"
                    + " [--poll-ms 500] [--timeout-ms 1000] [--warmup-s 10] [--duration-s 60] [--jit-warmup-s 5]"
                    + " [--startup-s 0] [--startup-curve linear|quadratic]"
                    + " [--kill-fraction 0.01] [--churn-per-min 0] [--min-kills 10] [--seed 1]"
                    + " [--redis-url redis://host:port]"
                    + " [--quiet-pct 30] [--quiet-wait-s 600] [--max-other-pct 25] [--retries 1] [--jedis-threads 0] [--views on]"
                    + " [--redis-pause-ms 0] [--csv results%sscale.csv]", problem, File.separator));
        }
    }
}
