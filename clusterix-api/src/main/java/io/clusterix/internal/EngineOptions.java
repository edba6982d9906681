package io.clusterix.internal;

import io.clusterix.ClusterKeys;
import io.clusterix.EvictionPolicy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The options of one engine, checked: every value here is valid, and every rejection names the option, the value and
 * what to do. Built once by {@code Clusterix.Builder.build()}.
 *
 * @param keys              the cluster's keys (from {@code keyPrefix} and {@code id})
 * @param nodeId            this node's id
 * @param heartbeatInterval how often the node heartbeats
 * @param pollInterval      how often it polls for dead nodes
 * @param timeout           how old a heartbeat may be and still count as live; the longest wait for one reply
 * @param listenerExecutor  the application's executor for listeners, or the shared default
 * @param evictionPolicy    what an evicted node does
 * @param leaveOnShutdown   whether the JVM's shutdown hook closes this node
 * @param handlerTimeout    how long one node-down handler may run before its death is handed to another survivor
 * @param metadata          the metadata this member publishes when it joins (checked, see {@link MetadataRules})
 * @param membershipView    whether this node keeps a membership view (its heartbeats ask for the changes)
 */
public record EngineOptions(ClusterKeys keys, String nodeId, Duration heartbeatInterval, Duration pollInterval,
                            Duration timeout, Executor listenerExecutor, EvictionPolicy evictionPolicy,
                            boolean leaveOnShutdown, Duration handlerTimeout, Map<String, String> metadata,
                            boolean membershipView) {
    /** Longest accepted node id, in characters. */
    public static final int MAX_NODE_ID_LENGTH = 256;
    /**
     * Default {@code handlerTimeout} (or twice {@code timeout}, if that is longer): long enough for real cleanup,
     * short enough that a stuck handler is noticed.
     */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Timer coalescing grid: the ticks of all engines of the JVM fire on this grid of the {@link Ticker}, so that
     * engines due within one grid step send their calls together. System property {@code clusterix.coalesceMillis},
     * default 10; 0 turns it off.
     */
    private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(
            Long.getLong("clusterix.coalesceMillis", 10));

    /** @throws IllegalArgumentException if a value is not acceptable (see {@link #check}) */
    public EngineOptions {
        Objects.requireNonNull(keys, "keys");
    }

    /**
     * Checks raw builder values, in the order the README lists the options, and makes the options.
     *
     * @param set               the names of the options the application set (the others hold defaults): an error
     *                          blames the option that was set, not a default
     * @param id                cluster id
     * @param nodeId            node id (the default already filled in)
     * @param keyPrefix         key prefix
     * @param heartbeatInterval heartbeat interval
     * @param pollInterval      poll interval
     * @param timeout           timeout
     * @param listenerExecutor  listener executor
     * @param evictionPolicy    eviction policy
     * @param leaveOnShutdown   leave on shutdown
     * @param handlerTimeout    handler timeout
     * @param metadata          metadata
     * @param membershipView    membership view
     * @return the checked options
     * @throws IllegalArgumentException naming the option and value that are not acceptable
     */
    public static EngineOptions check(Set<String> set, String id, String nodeId, String keyPrefix,
                                      Duration heartbeatInterval, Duration pollInterval, Duration timeout,
                                      Executor listenerExecutor, EvictionPolicy evictionPolicy,
                                      boolean leaveOnShutdown, Duration handlerTimeout,
                                      Map<String, String> metadata, boolean membershipView) {
        requireOption("listenerExecutor", listenerExecutor);
        requireOption("evictionPolicy", evictionPolicy);
        positive("heartbeatInterval", heartbeatInterval);
        positive("pollInterval", pollInterval);
        positive("timeout", timeout);
        positive("handlerTimeout", handlerTimeout);
        if (heartbeatInterval.compareTo(timeout) >= 0) {
            throw new IllegalArgumentException(intervalNotBelowTimeout(set, heartbeatInterval, timeout));
        }
        if (!set.contains("handlerTimeout")) {
            handlerTimeout = max(handlerTimeout, timeout.multipliedBy(2));
        } else if (handlerTimeout.compareTo(timeout) <= 0) {
            throw new IllegalArgumentException("Option 'handlerTimeout' = " + handlerTimeout.toMillis() + " ms must be"
                    + " longer than 'timeout' = " + timeout.toMillis() + " ms: a handler is allowed at least the time a"
                    + " death takes to be noticed. Default: " + DEFAULT_HANDLER_TIMEOUT.toSeconds() + " s.");
        }
        requireOption("nodeId", nodeId);
        if (nodeId.isEmpty() || nodeId.length() > MAX_NODE_ID_LENGTH) {
            throw new IllegalArgumentException("Option 'nodeId' = \"" + abbreviate(nodeId) + "\" must be 1 to "
                    + MAX_NODE_ID_LENGTH + " characters long, was " + nodeId.length() + ".");
        }
        requireOption("id", id);
        requireOption("keyPrefix", keyPrefix);
        ClusterKeys keys = ClusterKeys.of(keyPrefix, id);
        return new EngineOptions(keys, nodeId, heartbeatInterval, pollInterval, timeout, listenerExecutor,
                evictionPolicy, leaveOnShutdown, handlerTimeout, MetadataRules.check(metadata, "Option 'metadata'"),
                membershipView);
    }

    /** @return {@link #heartbeatInterval()} in nanoseconds */
    public long heartbeatNanos() {
        return heartbeatInterval.toNanos();
    }

    /** @return {@link #pollInterval()} in nanoseconds */
    public long pollNanos() {
        return pollInterval.toNanos();
    }

    /** @return {@link #timeout()} in nanoseconds */
    public long timeoutNanos() {
        return timeout.toNanos();
    }

    /**
     * @return this engine's coalescing grid step in nanoseconds, 0 for none: the JVM's grid, or a tenth of the shorter
     *         interval when that is finer
     */
    public long coalesceNanos() {
        return Math.min(COALESCE_NANOS, Math.min(heartbeatNanos(), pollNanos()) / 10);
    }

    /** Blames the option that was set; both when both were, or neither (then the defaults were changed). */
    private static String intervalNotBelowTimeout(Set<String> set, Duration heartbeatInterval, Duration timeout) {
        String why = ": a node that heartbeats less often than the timeout is declared dead between two"
                + " heartbeats. Keep 'timeout' at least twice 'heartbeatInterval', as the defaults (500 ms and"
                + " 1000 ms) do.";
        boolean timeoutSet = set.contains("timeout");
        boolean intervalSet = set.contains("heartbeatInterval");
        if (timeoutSet && !intervalSet) {
            return "Option 'timeout' = " + timeout.toMillis() + " ms must be longer than 'heartbeatInterval',"
                    + " which is " + heartbeatInterval.toMillis() + " ms (its default)" + why;
        }
        if (intervalSet && !timeoutSet) {
            return "Option 'heartbeatInterval' = " + heartbeatInterval.toMillis() + " ms must be shorter than"
                    + " 'timeout', which is " + timeout.toMillis() + " ms (its default)" + why;
        }
        return "Option 'heartbeatInterval' = " + heartbeatInterval.toMillis() + " ms must be shorter than option"
                + " 'timeout' = " + timeout.toMillis() + " ms" + why;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void requireOption(String option, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Option '" + option + "' must not be null.");
        }
    }

    private static void positive(String option, Duration value) {
        requireOption(option, value);
        if (value.isNegative() || value.toMillis() < 1) {
            throw new IllegalArgumentException("Option '" + option + "' = " + value + " must be at least 1 ms.");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
