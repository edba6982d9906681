package io.clusterix.internal;

import io.clusterix.ConnectionState;

/**
 * This node's connection state, as Curator's {@code ConnectionStateManager} keeps it but exact: SUSPENDED once no
 * heartbeat got through for {@code timeout} (others may now declare this node dead), then RECONNECTED or LOST at the
 * first heartbeat that gets through, as the server's reply says. Times are {@link Ticker} nanoseconds. Not
 * thread-safe: used under the engine's lock.
 */
final class ConnectionTracker {
    /** Whether heartbeats get through. */
    enum Link {
        /** The last heartbeat that got through is less than {@code timeout} old. */
        CONNECTED,
        /** None got through for {@code timeout}. */
        SUSPENDED
    }

    private final long timeoutNanos;
    private Link link = Link.CONNECTED;
    /** When the last heartbeat that got through was sent. */
    private long lastThrough;

    ConnectionTracker(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** @param now when this node became a member: its join got through */
    void joined(long now) {
        link = Link.CONNECTED;
        lastThrough = now;
    }

    /** @return the current link */
    Link link() {
        return link;
    }

    /** @return when this node turns SUSPENDED unless a heartbeat gets through first */
    long suspendsAt() {
        return lastThrough + timeoutNanos;
    }

    /**
     * @param now the time of the check
     * @return true if this node just turned SUSPENDED
     */
    boolean check(long now) {
        if (link == Link.SUSPENDED || suspendsAt() - now > 0) {
            return false;
        }
        link = Link.SUSPENDED;
        return true;
    }

    /**
     * A reply arrived for a heartbeat sent at {@code sent}.
     *
     * @param member whether the server says this node still owns its entry
     * @param sent   when that heartbeat was sent
     * @param now    when its reply arrived
     * @return the transition to report ({@link ConnectionState#RECONNECTED} or {@link ConnectionState#LOST}), or null
     */
    ConnectionState replied(boolean member, long sent, long now) {
        if (member) {
            lastThrough = lastThrough - sent < 0 ? sent : lastThrough;
        }
        if (link != Link.SUSPENDED) {
            return null;
        }
        link = Link.CONNECTED;
        if (!member) {
            return ConnectionState.LOST;
        }
        // After a stall, the replies of heartbeats sent long ago arrive one after the other: the server ran this one
        // just now, not when it was sent, so count from now; else the next check would find it "timeout old" at once
        // and flip back to SUSPENDED.
        lastThrough = now;
        return ConnectionState.RECONNECTED;
    }
}
