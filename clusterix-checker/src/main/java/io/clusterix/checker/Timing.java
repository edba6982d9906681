package io.clusterix.checker;

/**
 * The intervals every engine of one run uses, in milliseconds: short, so that a run of a few seconds covers many
 * heartbeat rounds, and a {@code timeout} of six heartbeats, as the chaos suite uses, so that a busy 2-core machine
 * does not make a live node miss its turn.
 *
 * @param heartbeatMillis      {@code heartbeatInterval}
 * @param pollMillis           {@code pollInterval}
 * @param timeoutMillis        {@code timeout}
 * @param handlerTimeoutMillis {@code handlerTimeout}
 */
public record Timing(long heartbeatMillis, long pollMillis, long timeoutMillis, long handlerTimeoutMillis) {
}
