package io.clusterix.internal;

import io.clusterix.ClusterKeys;
import io.clusterix.Member;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;
import io.clusterix.spi.ViewUpdate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A scripted test double of the {@link HeartbeatStore} SPI for engine tests: it stands in for the SPI, not for Redis
 * (what a real store does is proven against real Redis by the TCK). Every call is recorded with a future that the
 * test completes; {@link #onHeartbeat} runs test code at the moment the engine calls {@code heartbeat}.
 */
final class ScriptedStore implements HeartbeatStore {
    /** One call the engine made. */
    static final class Call<T> {
        final String op;
        final Object request;
        final CompletableFuture<T> reply = new CompletableFuture<>();

        Call(String op, Object request) {
            this.op = op;
            this.request = request;
        }

        Heartbeat heartbeat() {
            return (Heartbeat) request;
        }
    }

    /** A view that is up to date: version 1, this test's only version unless a test says otherwise. */
    static final ViewUpdate CURRENT = new ViewUpdate(ViewUpdate.Kind.CURRENT, 1, List.of(), List.of());

    private final List<Call<?>> calls = new ArrayList<>();
    private volatile Consumer<Heartbeat> onHeartbeat = heartbeat -> { };
    private volatile Set<String> nodes;

    /** @param hook runs when the engine calls {@code heartbeat}, before the call returns */
    void onHeartbeat(Consumer<Heartbeat> hook) {
        onHeartbeat = hook;
    }

    /** @param live answer {@code nodes()} at once with these ids */
    void answerNodes(Set<String> live) {
        nodes = live;
    }

    /** @return every call so far, in order */
    synchronized List<Call<?>> calls() {
        return List.copyOf(calls);
    }

    /**
     * @param op an operation
     * @return how many calls of it were made
     */
    synchronized long count(String op) {
        return calls.stream().filter(c -> c.op.equals(op)).count();
    }

    /**
     * @param op an operation
     * @return the latest call of it
     * @param <T> its reply type
     */
    @SuppressWarnings("unchecked")
    synchronized <T> Call<T> last(String op) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).op.equals(op)) {
                return (Call<T>) calls.get(i);
            }
        }
        throw new AssertionError("no " + op + " call; calls: " + calls.stream().map(c -> c.op).toList());
    }

    private synchronized <T> Call<T> record(String op, Object request) {
        Call<T> call = new Call<>(op, request);
        calls.add(call);
        return call;
    }

    @Override
    public CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Map<String, String> metadata,
                                              Duration timeout) {
        return this.<JoinResult>record("join", nodeId).reply;
    }

    @Override
    public CompletableFuture<Boolean> updateMetadata(ClusterKeys keys, String nodeId, long incarnation,
                                                     Map<String, String> metadata, Duration timeout) {
        return this.<Boolean>record("update", metadata).reply;
    }

    @Override
    public CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, Heartbeat heartbeat) {
        Call<HeartbeatResult> call = record("heartbeat", heartbeat);
        onHeartbeat.accept(heartbeat);
        return call.reply;
    }

    @Override
    public CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, long claimer, Duration timeout, int limit) {
        return this.<List<NodeDownEvent>>record("poll", claimer).reply;
    }

    @Override
    public CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout) {
        Call<Set<String>> call = record("nodes", null);
        if (nodes != null) {
            call.reply.complete(nodes);
        }
        return call.reply;
    }

    @Override
    public CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation, Duration timeout) {
        return this.<Boolean>record("leave", incarnation).reply;
    }

    /** @return a join that got the id: incarnation {@code incarnation} */
    static JoinResult joined(long incarnation) {
        return new JoinResult(JoinResult.Outcome.JOINED, 1_000, "epoch", incarnation, 0, Optional.empty(), 1,
                List.of(new Member("n", incarnation, Map.of())));
    }

    /** @return a join that took the id over from its dead predecessor {@code predecessor} */
    static JoinResult tookOver(long incarnation, long predecessor) {
        return new JoinResult(JoinResult.Outcome.TAKEN_OVER, 1_000, "epoch", incarnation, 0,
                Optional.of(new NodeDownEvent("", "n", predecessor, NodeDownReason.TIMED_OUT, 1)), 2,
                List.of(new Member("n", incarnation, Map.of())));
    }

    /** @return a join that found the id live, last heartbeat at {@code lastHeartbeat} (server time 1,000 ms) */
    static JoinResult live(long lastHeartbeat) {
        return new JoinResult(JoinResult.Outcome.LIVE, 1_000, "epoch", 0, lastHeartbeat, Optional.empty(), 0,
                List.of());
    }

    /** @return a heartbeat that was written, with these claimed deaths */
    static HeartbeatResult ok(NodeDownEvent... dead) {
        return new HeartbeatResult(HeartbeatResult.Status.OK, 1_000, "epoch", 0, List.of(dead), CURRENT);
    }

    /** @return a heartbeat that found this node declared dead */
    static HeartbeatResult declaredDead() {
        return new HeartbeatResult(HeartbeatResult.Status.DECLARED_DEAD, 1_000, "epoch", 0, List.of(), CURRENT);
    }

    @Override
    public void close() {
    }
}
