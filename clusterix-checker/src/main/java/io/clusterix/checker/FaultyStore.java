package io.clusterix.checker;

import io.clusterix.ClusterKeys;
import io.clusterix.NodeDownEvent;
import io.clusterix.checker.History.Op;
import io.clusterix.checker.History.Reply;
import io.clusterix.checker.Recorder.CallRecord;
import io.clusterix.spi.Heartbeat;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.JoinResult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One node life's store: forwards every call to the one real store of the run, records the call and its real reply
 * (with the server time the reply carries) before any fault touches it, and then lets the life's {@link NodeControl}
 * decide when the engine gets the reply, if ever. So the history holds every call the server ran, also those whose
 * reply the engine never saw. Never closes the real store (the run does).
 */
final class FaultyStore implements HeartbeatStore {
    private final HeartbeatStore real;
    private final NodeControl control;
    private final Recorder recorder;

    FaultyStore(HeartbeatStore real, NodeControl control, Recorder recorder) {
        this.real = real;
        this.control = control;
        this.recorder = recorder;
    }

    @Override
    public CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Map<String, String> metadata,
                                              Duration timeout) {
        CallRecord call = record(Op.JOIN, 0, Set.of(), Set.of(), 0);
        return run(call, () -> real.join(keys, nodeId, metadata, timeout), r -> new Reply(r.serverTimeMillis(),
                r.outcome().name(), r.incarnation(), r.predecessor().map(List::of).orElse(List.of())));
    }

    @Override
    public CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, Heartbeat heartbeat) {
        CallRecord call = record(Op.HEARTBEAT, heartbeat.incarnation(), heartbeat.handled(), heartbeat.handling(),
                heartbeat.reapLimit());
        return run(call, () -> real.heartbeat(keys, heartbeat),
                r -> new Reply(r.serverTimeMillis(), r.status().name(), 0, r.dead()));
    }

    @Override
    public CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, long claimer, Duration timeout, int limit) {
        CallRecord call = record(Op.POLL, claimer, Set.of(), Set.of(), limit);
        return run(call, () -> real.poll(keys, claimer, timeout, limit), dead -> new Reply(-1, "POLL", 0, dead));
    }

    @Override
    public CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout) {
        CallRecord call = record(Op.NODES, 0, Set.of(), Set.of(), 0);
        return run(call, () -> real.nodes(keys, timeout), ids -> new Reply(-1, "NODES", 0, List.of()));
    }

    @Override
    public CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation, Duration timeout) {
        CallRecord call = record(Op.LEAVE, incarnation, Set.of(), Set.of(), 0);
        return run(call, () -> real.leave(keys, nodeId, incarnation, timeout),
                left -> new Reply(-1, Boolean.TRUE.equals(left) ? "LEFT" : "GONE", 0, List.of()));
    }

    @Override
    public CompletableFuture<Boolean> updateMetadata(ClusterKeys keys, String nodeId, long incarnation,
                                                     Map<String, String> metadata, Duration timeout) {
        CallRecord call = record(Op.UPDATE, incarnation, Set.of(), Set.of(), 0);
        return run(call, () -> real.updateMetadata(keys, nodeId, incarnation, metadata, timeout),
                written -> new Reply(-1, Boolean.TRUE.equals(written) ? "UPDATED" : "GONE", 0, List.of()));
    }

    private CallRecord record(Op op, long incarnation, Set<Long> handled, Set<Long> handling, int reapLimit) {
        return recorder.call(control.node(), control.life(), op, incarnation, handled, handling, reapLimit);
    }

    private <T> CompletableFuture<T> run(CallRecord call, Supplier<CompletableFuture<T>> send,
                                         Function<T, Reply> replyOf) {
        CompletableFuture<T> toEngine = new CompletableFuture<>();
        control.request(call, () -> {
            recorder.sent(call);
            CompletableFuture<T> answer;
            try {
                answer = send.get();
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((value, error) -> {
                recorder.replied(call, error == null ? replyOf.apply(value) : null, error);
                control.reply(call, () -> error == null ? toEngine.complete(value)
                        : toEngine.completeExceptionally(error));
            });
        });
        return toEngine;
    }
}
