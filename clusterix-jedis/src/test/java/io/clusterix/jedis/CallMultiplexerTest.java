package io.clusterix.jedis;

import io.clusterix.ClusterixException;
import io.clusterix.fixture.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CallMultiplexer} on a real Redis of its own, with {@code INCR} calls: a write, so that
 * {@code CLIENT PAUSE WRITE} holds it unanswered for as long as a test needs senders busy.
 */
class CallMultiplexerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int CAPACITY = JedisHeartbeatStore.QUEUE_CAPACITY;

    private static PausableRedis redis;

    private String name;
    private JedisPool pool;
    private CountingExecutor executor;
    private CountingSource source;
    private Incr incr;

    @BeforeAll
    static void startRedis() {
        redis = PausableRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void open() {
        name = "mux-" + UUID.randomUUID().toString().substring(0, 8);
        // A socket timeout longer than any pause here: a held pipeline waits instead of failing.
        pool = new JedisPool(new HostAndPort(redis.endpoint().host(), redis.endpoint().port()),
                DefaultJedisClientConfig.builder().clientName(name).socketTimeoutMillis(120_000).build());
        executor = new CountingExecutor();
        source = new CountingSource(ConnectionSource.of(pool));
        incr = new Incr(name + ":counter");
    }

    @AfterEach
    void close() {
        redis.resume();
        pool.close();
        executor.close();
    }

    @Test
    void callsQueuedWhileEverySenderIsBusyGoOutAsOnePipelinePerSender() {
        CallMultiplexer calls = new CallMultiplexer(source, executor, 2, CAPACITY);
        long before = redis.executed("incr");
        redis.pauseWrites();
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        busy(calls, 2, replies);

        for (int i = 0; i < 100; i++) {
            replies.add(calls.submit(incr));
        }
        assertEquals(2, source.pipelines.get(), "no sender was free for the 100 calls");
        assertEquals(2, executor.tasks());
        redis.resume();

        assertEquals(LongStream.rangeClosed(1, 102).boxed().collect(Collectors.toSet()), replies(replies));
        assertEquals(102, redis.executed("incr") - before);
        assertEquals(102, incr.pipelined.get());
        assertEquals(0, incr.alone.get());
        // Each sender, once Redis answered, took what was queued: one pipeline each at most, often one in all.
        int after = source.pipelines.get() - 2;
        assertTrue(after >= 1 && after <= 2, "the 100 queued calls went out in " + after + " pipelines");
    }

    @Test
    void atMostTheGivenNumberOfSendersConnectionsAndThreadsWhileRedisIsStalled() {
        CallMultiplexer calls = new CallMultiplexer(source, executor, 3, CAPACITY);
        redis.pauseWrites();
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        busy(calls, 3, replies);

        for (int i = 0; i < 47; i++) {
            replies.add(calls.submit(incr));
        }
        assertEquals(3, source.inUse.get());
        assertEquals(3, executor.tasks(), "threads asked for");
        assertEquals(3, redis.connectionsNamed(name), "connections opened");
        // A sender holds its connection a moment before its pipeline reaches Redis.
        await().atMost(PATIENCE).until(() -> redis.held("incr") == 3);
        redis.resume();

        assertEquals(50, replies(replies).size());
        assertEquals(3, source.maxInUse.get());
        assertTrue(executor.maxRunning() <= 3, executor.maxRunning() + " senders ran at once");
        assertEquals(3, redis.connectionsNamed(name), "connections opened");
    }

    @Test
    void aClientThatCannotPipelineSendsOneCallAtATimeOnTheSameBoundedSenders() {
        CountingSource cluster = new CountingSource(new Unpipelined(ConnectionSource.of(pool)));
        source = cluster;
        CallMultiplexer calls = new CallMultiplexer(cluster, executor, 3, CAPACITY);
        assertEquals(1L, calls.submit(incr).orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
        await().atMost(PATIENCE).until(() -> executor.running() == 0);
        int tasksBefore = executor.tasks();
        redis.pauseWrites();
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        busy(calls, 3, replies);

        for (int i = 0; i < 47; i++) {
            replies.add(calls.submit(incr));
        }
        assertEquals(3, executor.tasks() - tasksBefore, "threads asked for 50 calls");
        assertEquals(3, cluster.inUse.get(), "calls in flight");
        await().atMost(PATIENCE).until(() -> redis.held("incr") == 3);
        redis.resume();

        assertEquals(LongStream.rangeClosed(2, 51).boxed().collect(Collectors.toSet()), replies(replies));
        assertEquals(51, incr.alone.get());
        assertEquals(0, incr.pipelined.get());
        assertEquals(3, cluster.maxInUse.get());
        assertTrue(executor.maxRunning() <= 3, executor.maxRunning() + " senders ran at once");
    }

    @Test
    void callsGivenUpOnBeforeTheyAreSentAreNotSentAndAreCounted() {
        CallMultiplexer calls = new CallMultiplexer(source, executor, 1, CAPACITY);
        long before = redis.executed("incr");
        redis.pauseWrites();
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        busy(calls, 1, replies);

        List<CompletableFuture<Long>> givenUp = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            givenUp.add(calls.submit(incr));
        }
        // As a caller gives up: cancelled, or failed by orTimeout.
        givenUp.subList(0, 5).forEach(reply -> reply.cancel(false));
        givenUp.subList(5, 10).forEach(reply -> reply.completeExceptionally(new TimeoutException()));
        redis.resume();

        assertEquals(Set.of(1L), replies(replies));
        // The sender went past the calls given up on without sending them: the next call is the second INCR.
        assertEquals(2L, calls.submit(incr).orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
        assertEquals(2, redis.executed("incr") - before);
        assertEquals(10, calls.abandonedCalls());
    }

    @Test
    void aCallBeyondTheQueuesCapacityFailsAtOnceUnsentAndIsCounted() {
        CallMultiplexer calls = new CallMultiplexer(source, executor, 1, 10);
        long before = redis.executed("incr");
        redis.pauseWrites();
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        busy(calls, 1, replies);
        for (int i = 0; i < 10; i++) {
            replies.add(calls.submit(incr));
        }

        CompletableFuture<Long> refused = calls.submit(incr);
        assertTrue(refused.isCompletedExceptionally(), "failed at once");
        Throwable failure = assertThrows(CompletionException.class, refused::join).getCause();
        assertInstanceOf(ClusterixException.class, failure);
        assertTrue(failure.getMessage().startsWith("The Jedis store's queue is full: 10 calls already wait for Redis,"
                + " which answers too slowly for the store's senders (1) to keep up"), failure.getMessage());
        assertEquals(1, calls.rejectedCalls());
        redis.resume();

        assertEquals(LongStream.rangeClosed(1, 11).boxed().collect(Collectors.toSet()), replies(replies));
        // Unsent, and there is room again once the senders took the queued calls.
        assertEquals(12L, calls.submit(incr).orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
        assertEquals(12, redis.executed("incr") - before);
        assertEquals(1, calls.rejectedCalls());
    }

    @Test
    void everyCallIsAnsweredOnceWhenManyThreadsSubmitAtOnce() throws InterruptedException {
        int threads = 8;
        int each = 2_000;
        // Room for every call: the submitters may well outpace the senders.
        CallMultiplexer calls = new CallMultiplexer(source, executor, 4, threads * each);
        long before = redis.executed("incr");
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<Long>> mine = new ArrayList<>();
            Thread submitter = new Thread(() -> {
                awaitUninterruptibly(start);
                for (int i = 0; i < each; i++) {
                    mine.add(calls.submit(incr));
                }
                synchronized (replies) {
                    replies.addAll(mine);
                }
            });
            submitter.start();
            submitters.add(submitter);
        }
        start.countDown();
        for (Thread submitter : submitters) {
            submitter.join();
        }

        assertEquals(LongStream.rangeClosed(1, threads * each).boxed().collect(Collectors.toSet()),
                replies(replies));
        assertEquals(threads * each, redis.executed("incr") - before);
        assertTrue(source.maxInUse.get() <= 4, source.maxInUse.get() + " connections in use at once");
        assertTrue(executor.maxRunning() <= 4, executor.maxRunning() + " senders ran at once");
    }

    @Test
    void aConnectionThatCannotBeHadFailsEveryCallOfItsPipelineWithTheClientsException() {
        try (JedisPool nowhere = new JedisPool(new HostAndPort("127.0.0.1", RedisServerProcess.freePort()),
                DefaultJedisClientConfig.builder().build())) {
            CallMultiplexer calls = new CallMultiplexer(ConnectionSource.of(nowhere), executor, 2, CAPACITY);
            List<CompletableFuture<Long>> replies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                replies.add(calls.submit(incr));
            }
            for (CompletableFuture<Long> reply : replies) {
                CompletionException failed = assertThrows(CompletionException.class,
                        () -> reply.orTimeout(PATIENCE.toSeconds(), TimeUnit.SECONDS).join());
                assertInstanceOf(JedisConnectionException.class, failed.getCause());
            }
        }
    }

    /**
     * Makes {@code senders} senders busy, one call each, held by the paused Redis: one call at a time, each taken by a
     * new sender (the others being busy) before the next is queued.
     */
    private void busy(CallMultiplexer calls, int senders, List<CompletableFuture<Long>> replies) {
        for (int i = 1; i <= senders; i++) {
            replies.add(calls.submit(incr));
            int inUse = i;
            await().atMost(PATIENCE).until(() -> source.inUse.get() == inUse);
        }
        assertFalse(replies.stream().anyMatch(CompletableFuture::isDone), "Redis answered while paused");
    }

    private static Set<Long> replies(List<CompletableFuture<Long>> replies) {
        await().atMost(PATIENCE).until(() -> replies.stream().allMatch(CompletableFuture::isDone));
        Set<Long> values = new HashSet<>();
        replies.forEach(reply -> values.add(reply.join()));
        return values;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code INCR key}, counting how it was sent. */
    static final class Incr implements CallMultiplexer.Call<Long> {
        final String key;
        final AtomicInteger alone = new AtomicInteger();
        final AtomicInteger pipelined = new AtomicInteger();

        Incr(String key) {
            this.key = key;
        }

        @Override
        public Long sendAlone(JedisCommands connection) {
            alone.incrementAndGet();
            return connection.incr(key);
        }

        @Override
        public Response<Long> queueOn(AbstractPipeline pipeline) {
            pipelined.incrementAndGet();
            return pipeline.incr(key);
        }
    }

    /** A client whose pipelines do not suit the multiplexer, as a cluster client's: single commands only. */
    static final class Unpipelined implements ConnectionSource {
        private final ConnectionSource delegate;

        Unpipelined(ConnectionSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T alone(Function<? super JedisCommands, T> command) {
            return delegate.alone(command);
        }

        @Override
        public void pipelined(Consumer<? super AbstractPipeline> batch) {
            throw new NoPipelines(null);
        }
    }

    /** A source that counts the pipelines sent and the connections in use at once (borrowing included). */
    static class CountingSource implements ConnectionSource {
        final AtomicInteger pipelines = new AtomicInteger();
        final AtomicInteger inUse = new AtomicInteger();
        final AtomicInteger maxInUse = new AtomicInteger();
        private final ConnectionSource delegate;

        CountingSource(ConnectionSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T alone(Function<? super JedisCommands, T> command) {
            maxInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
            try {
                return delegate.alone(command);
            } finally {
                inUse.decrementAndGet();
            }
        }

        @Override
        public void pipelined(Consumer<? super AbstractPipeline> batch) {
            maxInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
            try {
                delegate.pipelined(pipeline -> {
                    pipelines.incrementAndGet();
                    batch.accept(pipeline);
                });
            } finally {
                inUse.decrementAndGet();
            }
        }
    }
}
