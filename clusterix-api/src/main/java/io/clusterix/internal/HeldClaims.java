package io.clusterix.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deaths this node claimed and handles: each heartbeat renews the claims whose listeners still run and releases
 * those whose listeners returned. A handler that runs longer than {@code handlerTimeout} is given up: its claim is no
 * longer renewed, lapses after {@code timeout}, and the death is handed to a survivor again. Times are
 * {@link Ticker} nanoseconds. Not thread-safe: used under the engine's lock.
 */
final class HeldClaims {
    /** Incarnation of a dead node whose listeners still run, to when they started. */
    private final Map<Long, Long> handling = new LinkedHashMap<>();
    /** Incarnations whose listeners returned: the next heartbeat releases their claims. */
    private final Set<Long> handled = new HashSet<>();

    /**
     * @param incarnation a death this node's call claimed
     * @param now         when its listeners start
     */
    void claimed(long incarnation, long now) {
        handling.putIfAbsent(incarnation, now);
        handled.remove(incarnation);
    }

    /** @param incarnation a death whose listeners returned; its claim is released, unless it was given up */
    void finished(long incarnation) {
        if (handling.remove(incarnation) != null) {
            handled.add(incarnation);
        }
    }

    /** @return the claims to renew with the next heartbeat */
    Set<Long> renewals() {
        return Set.copyOf(handling.keySet());
    }

    /** @return the claims to release with the next heartbeat */
    Set<Long> releases() {
        return Set.copyOf(handled);
    }

    /** @param sent claims a heartbeat released (its reply arrived): they need not be sent again */
    void released(Set<Long> sent) {
        handled.removeAll(sent);
    }

    /**
     * Gives up the handlers that run too long.
     *
     * @param now     the time
     * @param longest how long a handler may run
     * @return the incarnations given up: no longer renewed nor released
     */
    List<Long> overdue(long now, long longest) {
        List<Long> late = new ArrayList<>();
        handling.entrySet().removeIf(entry -> {
            if (now - entry.getValue() > longest) {
                late.add(entry.getKey());
                return true;
            }
            return false;
        });
        return late;
    }
}
