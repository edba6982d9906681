package io.clusterix.spi;

import io.clusterix.ClusterKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How heartbeats of one store are gathered into calls; the calls themselves are a scripted test double. */
class HeartbeatBatchesTest {
    private static final ClusterKeys KEYS = ClusterKeys.of("clusterix", "t");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** The calls made, each with its heartbeats and the future the test completes. */
    private final List<List<Heartbeat>> calls = new ArrayList<>();
    private final List<CompletableFuture<List<HeartbeatResult>>> replies = new ArrayList<>();
    private RuntimeException failNow;

    private final HeartbeatBatches batches = new HeartbeatBatches((keys, beats) -> {
        calls.add(List.copyOf(beats));
        if (failNow != null) {
            return CompletableFuture.failedFuture(failNow);
        }
        CompletableFuture<List<HeartbeatResult>> reply = new CompletableFuture<>();
        replies.add(reply);
        return reply;
    });

    private static Heartbeat beat(String node) {
        return Heartbeat.of(node, 1, "e", TIMEOUT);
    }

    private static List<HeartbeatResult> ok(List<Heartbeat> beats) {
        return beats.stream().map(b -> new HeartbeatResult(HeartbeatResult.Status.OK, b.nodeId().length(), "e", 0,
                List.of(), ViewUpdate.NONE)).collect(Collectors.toList());
    }

    private static List<String> nodes(List<Heartbeat> beats) {
        return beats.stream().map(Heartbeat::nodeId).collect(Collectors.toList());
    }

    @Test
    void aLoneHeartbeatGoesOutAtOnceAndThoseThatComeMeanwhileGoTogetherWhenItReturns() {
        CompletableFuture<HeartbeatResult> a = batches.submit(KEYS, beat("a"));
        assertEquals(1, calls.size(), "nothing on the way: sent at once");
        CompletableFuture<HeartbeatResult> b = batches.submit(KEYS, beat("bb"));
        CompletableFuture<HeartbeatResult> c = batches.submit(KEYS, beat("ccc"));
        assertEquals(1, calls.size(), "a call is on the way: they wait");

        replies.get(0).complete(ok(calls.get(0)));
        assertTrue(a.isDone());
        assertEquals(List.of("bb", "ccc"), nodes(calls.get(1)), "sent together when the first returned");
        assertFalse(b.isDone());

        replies.get(1).complete(ok(calls.get(1)));
        assertEquals(2, b.join().serverTimeMillis(), "each gets its own result");
        assertEquals(3, c.join().serverTimeMillis());
        assertEquals(2, calls.size());
        batches.submit(KEYS, beat("d"));
        assertEquals(3, calls.size(), "idle again: the next one goes out at once");
    }

    @Test
    void aCallCarriesAtMostItsBoundAndHeartbeatsGivenUpOnAreDropped() {
        batches.submit(KEYS, beat("first"));
        List<CompletableFuture<HeartbeatResult>> waiting = new ArrayList<>();
        for (int i = 0; i < HeartbeatBatches.MOST + 10; i++) {
            waiting.add(batches.submit(KEYS, beat("n" + i)));
        }
        waiting.get(0).cancel(false); // the caller timed out while it waited
        replies.get(0).complete(ok(calls.get(0)));
        assertEquals(HeartbeatBatches.MOST, calls.get(1).size());
        assertEquals("n1", calls.get(1).get(0).nodeId(), "the one given up on is not sent");
        replies.get(1).complete(ok(calls.get(1)));
        assertEquals(9, calls.get(2).size());
    }

    @Test
    void aFailedCallFailsItsOwnHeartbeatsAndTheNextOnesStillGo() {
        CompletableFuture<HeartbeatResult> a = batches.submit(KEYS, beat("a"));
        CompletableFuture<HeartbeatResult> b = batches.submit(KEYS, beat("b"));
        RuntimeException refused = new RuntimeException("refused");
        replies.get(0).completeExceptionally(refused);
        assertTrue(a.isCompletedExceptionally());
        assertFalse(b.isDone(), "b went out in the next call");
        replies.get(1).complete(ok(calls.get(1)));
        assertEquals(HeartbeatResult.Status.OK, b.join().status());
    }

    /** A call that fails before it returns (a fast error reply) must not leave the queue thinking one is on the way. */
    @Test
    void aCallThatFailsAtOnceLeavesTheQueueFree() {
        failNow = new RuntimeException("no connection");
        CompletableFuture<HeartbeatResult> a = batches.submit(KEYS, beat("a"));
        assertTrue(a.isCompletedExceptionally());
        assertSame(failNow, a.handle((r, e) -> e).join());
        failNow = null;
        CompletableFuture<HeartbeatResult> b = batches.submit(KEYS, beat("b"));
        assertEquals(2, calls.size(), "sent at once: nothing is on the way");
        replies.get(0).complete(ok(calls.get(1)));
        assertTrue(b.isDone());
    }

    @Test
    void onAThreadThatSendsLaterTheHeartbeatsOfOneRoundGoOutTogetherFromTheTask() {
        List<Runnable> tasks = new ArrayList<>();
        HeartbeatBatches.sendLaterOnThisThread(tasks::add);
        try {
            batches.submit(KEYS, beat("a"));
            batches.submit(KEYS, beat("b"));
            batches.submit(KEYS, beat("c"));
            assertEquals(0, calls.size(), "they wait for the task");
            assertEquals(1, tasks.size(), "one task for the round");
            tasks.get(0).run();
            assertEquals(List.of("a", "b", "c"), nodes(calls.get(0)));
            batches.submit(KEYS, beat("d"));
            assertEquals(1, tasks.size(), "a call is on the way: it takes what waits when it returns");
            replies.get(0).complete(ok(calls.get(0)));
            assertEquals(List.of("d"), nodes(calls.get(1)));
            replies.get(1).complete(ok(calls.get(1)));
            batches.submit(KEYS, beat("e"));
            assertEquals(2, tasks.size(), "idle: a new round, a new task");
        } finally {
            HeartbeatBatches.sendLaterOnThisThread(null);
        }
    }

    /** A failover can leave a call unanswered for the client's own timeout; its callers time out long before. */
    @Test
    void aCallThatEveryCallerGaveUpOnNoLongerHoldsTheOthersBack() {
        CompletableFuture<HeartbeatResult> a = batches.submit(KEYS, beat("a"));
        CompletableFuture<HeartbeatResult> b = batches.submit(KEYS, beat("b"));
        assertEquals(1, calls.size(), "b waits for the call a is in");
        a.completeExceptionally(new java.util.concurrent.TimeoutException("no reply within timeout"));
        assertTrue(replies.get(0).isCancelled(), "nobody waits for that call any more");
        assertEquals(List.of("b"), nodes(calls.get(1)), "the next call went out without it");
        replies.get(1).complete(ok(calls.get(1)));
        assertEquals(HeartbeatResult.Status.OK, b.join().status());
    }

    @Test
    void heartbeatsOfOtherClustersOrTimeoutsDoNotWait() {
        batches.submit(KEYS, beat("a"));
        batches.submit(ClusterKeys.of("clusterix", "other"), beat("b"));
        batches.submit(KEYS, Heartbeat.of("c", 1, "e", Duration.ofSeconds(2)));
        assertEquals(3, calls.size());
    }
}
