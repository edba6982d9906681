package io.clusterix;

import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Clusterix#close()} waits at most {@code timeout} in all, as its Javadoc says, even when a heartbeat is in
 * flight and the leave gets no reply: a store double (not Redis: what the store does is proven by the TCK) that
 * answers the join and then nothing.
 */
class CloseBoundTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void closeWaitsAtMostTimeoutInAllForAnInFlightHeartbeatAndTheLeave() {
        SilentStore store = new SilentStore();
        Clusterix node = Clusterix.builder(store).nodeId("n").heartbeatInterval(Duration.ofMillis(100))
                .timeout(TIMEOUT).leaveOnShutdown(false).build();
        node.initializeNode().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.heartbeats.get() > 0);

        long started = System.nanoTime();
        node.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // Waiting for the heartbeat and then for the leave, each up to timeout, took 2 x timeout before the fix.
        assertTrue(tookMillis < TIMEOUT.toMillis() * 8 / 5, "close() took " + tookMillis + " ms");
    }

    /** Joins, then never answers. */
    private static final class SilentStore implements HeartbeatStore {
        final AtomicInteger heartbeats = new AtomicInteger();

        @Override
        public CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Map<String, String> metadata,
                                                  Duration timeout) {
            return CompletableFuture.completedFuture(new JoinResult(JoinResult.Outcome.JOINED, 1, "epoch", 7, 0,
                    Optional.empty(), 1, List.of()));
        }

        @Override
        public CompletableFuture<Boolean> updateMetadata(ClusterKeys keys, String nodeId, long incarnation,
                                                         Map<String, String> metadata, Duration timeout) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, Heartbeat heartbeat) {
            heartbeats.incrementAndGet();
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, long claimer, Duration timeout,
                                                           int limit) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation, Duration timeout) {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {
        }
    }
}
