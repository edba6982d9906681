package io.clusterix.bench.jmh;

import io.clusterix.ClusterKeys;
import io.clusterix.bench.Backend;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.spi.HeartbeatStore;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What every store benchmark shares: a {@code redis-server} of its own per trial (the embedded Redis 6.2, or the
 * binary named by {@code CLUSTERIX_REDIS_SERVER}), the backend's client with {@value #CONNECTIONS} connections, the
 * store its provider creates, and a cluster pre-filled with live members.
 *
 * <p>Sized for a 2-core machine that also runs Redis: one fork, 3 warm-up and 3 measured iterations of 5 s, one
 * thread (so the figures are round trips per second of one caller; {@code -t 4} measures concurrent callers). The
 * timeout passed to the store is one hour, so that the pre-filled members stay live for the whole trial and a poll
 * finds nothing to claim, as in a healthy cluster.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
public abstract class StoreBenchmark {
    /** Connections of the client: enough for {@code -t 4}. */
    static final int CONNECTIONS = 4;
    /** Long enough that no member goes stale during a trial. */
    static final Duration TIMEOUT = Duration.ofHours(1);

    /** The backend under test. */
    @Param({"jedis", "lettuce", "redisson"})
    public String backend;

    private RedisServerProcess redis;
    private Backend.SharedClients clients;
    private int clusters;
    /** The backend's store, as {@code Clusterix.builder(client)} would create it. */
    protected HeartbeatStore store;
    /** The keys of the cluster under test. */
    protected ClusterKeys keys;

    /** @return how many live members the cluster under test holds besides the benchmark's own node */
    protected abstract int members();

    /** Starts Redis and the client, fills a first cluster, then calls {@link #prepare()}. */
    @Setup(Level.Trial)
    public void startRedis() {
        redis = RedisServerProcess.start();
        RedisEndpoint endpoint = redis.endpoint();
        clients = Backend.of(backend).connect(endpoint, CONNECTIONS);
        store = clients.store(0);
        newCluster();
        prepare();
    }

    /** Called once per trial after the cluster is filled; e.g. to join the benchmark's own node. */
    protected void prepare() {
    }

    /** Switches {@link #keys} to a new cluster holding {@link #members()} live members. */
    protected final void newCluster() {
        keys = ClusterKeys.of("bench", "c" + clusters++);
        List<CompletableFuture<?>> batch = new ArrayList<>();
        for (int i = 0; i < members(); i++) {
            batch.add(store.join(keys, String.format(Locale.ROOT, "member-%05d", i), TIMEOUT));
            if (batch.size() == 200) {
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                batch.clear();
            }
        }
        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
    }

    /** Closes the client and kills Redis. */
    @TearDown(Level.Trial)
    public void stopRedis() {
        try {
            clients.close();
        } finally {
            redis.close();
        }
    }
}
