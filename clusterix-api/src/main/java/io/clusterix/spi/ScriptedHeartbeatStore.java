package io.clusterix.spi;

import io.clusterix.ClusterKeys;
import io.clusterix.ClusterixException;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@link HeartbeatStore} contract implemented once, with the shared Lua script {@code clusterix.lua}; a backend
 * only says how its client runs a script.
 *
 * <p>Each operation is one {@code EVALSHA} of the script (keys: {@link ClusterKeys#all()}; first argument: the
 * operation name). If the server answers {@code NOSCRIPT} (after a restart, a failover or {@code SCRIPT FLUSH}), the
 * call is repeated once with {@code EVAL}, which also reloads the script's cache, so callers never see it. Replies
 * are flat arrays of strings whatever the client; they are parsed here.
 *
 * <p>Heartbeats of one cluster that meet here while a call of theirs is on the way go out together in the next call,
 * each taken by the script as if it were alone (its own status, entry, claims and view), at most 64 per call: a node
 * alone in its process sends each heartbeat alone, with no added delay; instances that share a client share the
 * script call's fixed cost, which is most of a heartbeat's (see {@code HeartbeatBatches}).
 *
 * <p>Errors: a failed call completes its future with a {@link ClusterixException} naming the operation, the cluster's
 * keys and, for a Redis key of the wrong type, that key; the client's exception is the cause.
 */
public abstract class ScriptedHeartbeatStore implements HeartbeatStore {

    /**
     * Whether heartbeats that meet here go out together ({@code -Dclusterix.batchHeartbeats=true}; off by default: with
     * it, Lettuce on Redis Cluster did not get heartbeats through after a SIGKILL of the slot's master in the topology
     * suite, not yet understood). Off, every heartbeat is a call of its own, as before.
     */
    static final boolean BATCHED = Boolean.getBoolean("clusterix.batchHeartbeats");

    private final HeartbeatBatches batches = new HeartbeatBatches(this::tick);

    /** Creates a store; subclasses keep the client they adapt. */
    protected ScriptedHeartbeatStore() {
    }

    /**
     * Runs {@code EVALSHA sha1 keys.size() keys... args...}.
     *
     * @param sha1 the script's SHA-1
     * @param keys the keys, all in one hash slot
     * @param args the arguments
     * @return the reply: a list whose elements are {@code String}s, {@code byte[]}s or numbers; an error reply
     *         completes it exceptionally with the client's exception, whose message starts with the server's error
     */
    protected abstract CompletionStage<?> evalSha(String sha1, List<String> keys, List<String> args);

    /**
     * Runs {@code EVAL script keys.size() keys... args...}; called only after {@link #evalSha} failed with
     * {@code NOSCRIPT}.
     *
     * @param script the script text
     * @param keys   the keys, all in one hash slot
     * @param args   the arguments
     * @return as for {@link #evalSha}
     */
    protected abstract CompletionStage<?> eval(String script, List<String> keys, List<String> args);

    /**
     * Makes the heartbeats that the calling thread sends wait for a task that this store hands to {@code later}, and
     * go out together from there: for a scheduler thread that runs, one after another, the ticks of many nodes that
     * are due at the same time (the engine's does this), so that they share one script call instead of the first one
     * going out alone. {@code later} must run the task after the tasks that are due now, soon and never on the
     * calling stack (a single-threaded scheduler's {@code execute}).
     *
     * @param later where the sending task goes
     */
    public static void gatherHeartbeatsOfThisThread(java.util.concurrent.Executor later) {
        if (BATCHED) {
            HeartbeatBatches.sendLaterOnThisThread(later);
        }
    }

    /** @return the script's text, for backends or tools that want to pre-load it */
    public static String scriptText() {
        return LuaScript.TEXT;
    }

    /** @return the script's SHA-1 */
    public static String scriptSha1() {
        return LuaScript.SHA1;
    }

    @Override
    public final CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Map<String, String> metadata,
                                                    Duration timeout) {
        return run(keys, "join", nodeId, List.of("join", nonEmpty(nodeId), millis(timeout),
                MetadataCodec.encode(metadata)), reply -> ScriptReplies.join(keys, nodeId, reply));
    }

    @Override
    public final CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, Heartbeat heartbeat) {
        nonEmpty(heartbeat.nodeId());
        millis(heartbeat.timeout());
        if (BATCHED) {
            return batches.submit(keys, heartbeat);
        }
        List<Heartbeat> alone = List.of(heartbeat);
        return run(keys, "heartbeat", heartbeat.nodeId(), tickArgs(alone),
                reply -> ScriptReplies.heartbeats(keys, alone, reply).get(0));
    }

    /** One script call with the heartbeats of one cluster (see {@link HeartbeatBatches}), or one poll. */
    private CompletableFuture<List<HeartbeatResult>> tick(ClusterKeys keys, List<Heartbeat> beats) {
        Heartbeat first = beats.get(0);
        String node = first.nodeId().isEmpty() ? "" : beats.size() == 1 ? first.nodeId()
                : first.nodeId() + "' (and " + (beats.size() - 1) + " more in the same call) '";
        return run(keys, first.nodeId().isEmpty() ? "poll" : "heartbeat", node, tickArgs(beats),
                reply -> ScriptReplies.heartbeats(keys, beats, reply));
    }

    private static List<String> tickArgs(List<Heartbeat> beats) {
        Heartbeat first = beats.get(0);
        List<String> args = new ArrayList<>(4 + beats.size() * 7);
        args.add("tick");
        args.add(millis(first.timeout()));
        args.add(Long.toString(first.interval().toMillis()));
        args.add(Integer.toString(beats.size()));
        for (Heartbeat beat : beats) {
            args.add(beat.nodeId());
            args.add(Long.toString(beat.incarnation()));
            args.add(beat.epoch());
            args.add(Integer.toString(Math.max(0, beat.reapLimit())));
            args.add(joined(beat.handled()));
            args.add(joined(beat.handling()));
            args.add(beat.knownVersion() < 0 ? "" : Long.toString(beat.knownVersion()));
        }
        return args;
    }

    @Override
    public final CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, long claimer, Duration timeout, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("poll limit must be positive, was " + limit);
        }
        Heartbeat poll = new Heartbeat("", claimer, "", timeout, limit, Set.of(), Set.of());
        return tick(keys, List.of(poll)).thenApply(results -> results.get(0).dead());
    }

    @Override
    public final CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout) {
        return run(keys, "nodes", "", List.of("nodes", millis(timeout)),
                reply -> Collections.unmodifiableSet(new LinkedHashSet<>(reply.subList(3, reply.size()))));
    }

    @Override
    public final CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation, Duration timeout) {
        return run(keys, "leave", nodeId, List.of("leave", nonEmpty(nodeId), Long.toString(incarnation),
                millis(timeout)),
                reply -> "LEFT".equals(reply.get(0)));
    }

    @Override
    public final CompletableFuture<Boolean> updateMetadata(ClusterKeys keys, String nodeId, long incarnation,
                                                           Map<String, String> metadata, Duration timeout) {
        return run(keys, "update", nodeId, List.of("update", nonEmpty(nodeId), Long.toString(incarnation),
                millis(timeout), MetadataCodec.encode(metadata)), reply -> "UPDATED".equals(reply.get(0)));
    }

    /**
     * Evicts a node on an operator's word (the {@code clusterix evict} command), in one atomic step: if {@code
     * incarnation} owns {@code nodeId} (or any incarnation, when it is 0) and the node did not leave, removes its
     * entry, records its {@code TIMED_OUT} in the membership history and leaves its death for the next poll of any
     * member, which claims it with delivery 1 as any other death ({@link NodeDownReason#TIMED_OUT}). A live node so
     * evicted learns at its next heartbeat that it was {@code DECLARED_DEAD}. The note goes to the Redis server's log
     * with the node and the incarnation. Not part of {@link HeartbeatStore}: the engine never evicts.
     *
     * @param keys        the cluster
     * @param nodeId      the node to evict
     * @param incarnation the incarnation to evict, or 0 for whichever owns the id
     * @param note        the operator's reason, for the server's log
     * @return the incarnation evicted, or 0 when nothing was written (the id is not owned, or by another incarnation,
     *         or the node left and a poll reports it anyway)
     */
    public final CompletableFuture<Long> evict(ClusterKeys keys, String nodeId, long incarnation, String note) {
        return run(keys, "evict", nodeId, List.of("evict", nonEmpty(nodeId), incarnation == 0 ? ""
                : Long.toString(incarnation), note == null ? "" : note),
                reply -> "EVICTED".equals(reply.get(0)) ? Long.parseLong(reply.get(3)) : 0L);
    }

    private static String joined(Set<Long> incarnations) {
        return incarnations.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static String nonEmpty(String nodeId) {
        if (nodeId == null || nodeId.isEmpty()) {
            throw new IllegalArgumentException("nodeId must be a non-empty string");
        }
        return nodeId;
    }

    private static String millis(Duration timeout) {
        long ms = timeout.toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return Long.toString(ms);
    }

    private static ClusterixException unexpected(String op, List<String> reply) {
        return new ClusterixException("Unexpected reply to clusterix '" + op + "': " + reply + ". The server runs a"
                + " different clusterix.lua under the same SHA-1, or the backend converts replies wrongly.");
    }

    /**
     * @param node the node the call is for, or empty: named in error messages
     */
    private <T> CompletableFuture<T> run(ClusterKeys keys, String op, String node, List<String> args,
                                         Function<List<String>, T> parse) {
        CompletableFuture<T> result = new CompletableFuture<>();
        String call = "clusterix '" + op + "'" + (node == null || node.isEmpty() ? "" : " of node '" + node + "'")
                + " in cluster " + keys;
        CompletableFuture<?> sent = invoke(() -> evalSha(LuaScript.SHA1, keys.all(), args));
        sent.whenComplete((reply, error) -> {
            if (error != null && isNoScript(error)) {
                CompletableFuture<?> retry = invoke(() -> eval(LuaScript.TEXT, keys.all(), args));
                retry.whenComplete((retried, again) -> finish(result, keys, call, op, retried, again, parse));
                cancelIfAbandoned(result, retry);
            } else {
                finish(result, keys, call, op, reply, error, parse);
            }
        });
        cancelIfAbandoned(result, sent);
        return result;
    }

    /**
     * The caller gave up on {@code result} (it timed out or was cancelled) before the backend's call completed: cancel
     * that call too, so that a backend that has not sent it yet may skip it.
     */
    private static void cancelIfAbandoned(CompletableFuture<?> result, CompletableFuture<?> backend) {
        result.whenComplete((value, error) -> {
            if (error != null) {
                backend.cancel(false);
            }
        });
    }

    private static <T> void finish(CompletableFuture<T> result, ClusterKeys keys, String call, String op,
                                   Object reply, Throwable error, Function<List<String>, T> parse) {
        if (error != null) {
            result.completeExceptionally(CallErrors.translate(keys, call, unwrap(error)));
            return;
        }
        try {
            result.complete(parse.apply(strings(op, reply)));
        } catch (RuntimeException e) {
            result.completeExceptionally(e instanceof ClusterixException ? e
                    : new ClusterixException("Cannot read the reply to clusterix '" + op + "': " + reply, e));
        }
    }

    private static CompletableFuture<?> invoke(Supplier<CompletionStage<?>> call) {
        try {
            CompletionStage<?> stage = call.get();
            return stage == null ? CompletableFuture.failedFuture(new NullPointerException("backend returned null"))
                    : stage.toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<String> strings(String op, Object reply) {
        if (!(reply instanceof List<?> list) || list.size() < 2) {
            throw new ClusterixException("Unexpected reply to clusterix '" + op + "': " + reply
                    + " (expected an array of strings). Does the backend convert replies correctly?");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object element : list) {
            if (element == null) {
                strings.add("");
            } else if (element instanceof byte[] bytes) {
                strings.add(new String(bytes, StandardCharsets.UTF_8));
            } else {
                strings.add(element.toString());
            }
        }
        return strings;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isNoScript(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }
}
