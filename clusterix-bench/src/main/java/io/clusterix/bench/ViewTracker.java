package io.clusterix.bench;

import io.clusterix.MembershipEvent;
import io.clusterix.MembershipView;
import io.clusterix.spi.MembershipChange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongToIntFunction;

/**
 * What the members of a run saw of the membership history, version by version: when each change was written (the
 * Redis server time the script stored with it, as the heartbeat replies carry it), when each member's listener got
 * it, and whether every member got the same view for it. Thread-safe and cheap per event (a map lookup and a few
 * adders): it is called by every member's listener, tens of thousands of times a second.
 *
 * <p>Identical views are checked by identity first: the engines of one JVM that follow the same history share their
 * view objects, so a version's views are normally one object; only a view that is another object is compared with
 * {@code equals} (O(N)), and only one that is not equal either counts as a mismatch.
 *
 * <p>Times are wall-clock milliseconds ({@link System#currentTimeMillis()} on the members, Redis {@code TIME} for the
 * writes): the simulator and Redis run on one machine, so both read the same clock, each to 1 ms.
 */
final class ViewTracker {
    private final Map<Long, Version> versions = new ConcurrentHashMap<>();
    private final LongAdder events = new LongAdder();
    private final LongAdder resyncEvents = new LongAdder();
    private volatile boolean tracking;

    /** One version: its write, and what the members' listeners got for it. */
    static final class Version {
        final long version;
        volatile long writtenMillis = -1;
        volatile MembershipEvent.Type type;
        final AtomicReference<MembershipView> first = new AtomicReference<>();
        final LongAdder applies = new LongAdder();
        final LongAdder survivorApplies = new LongAdder();
        final LongAdder identical = new LongAdder();
        final LongAdder equal = new LongAdder();
        final LongAdder mismatched = new LongAdder();
        final LongAccumulator firstApply = new LongAccumulator(Math::min, Long.MAX_VALUE);
        final LongAccumulator lastApply = new LongAccumulator(Math::max, Long.MIN_VALUE);

        Version(long version) {
            this.version = version;
        }
    }

    /**
     * Starts recording (events and writes before this call are ignored: the start-up's join storm is not what the
     * window measures, and would cost the simulator millions of map entries).
     */
    void start() {
        tracking = true;
    }

    /**
     * A heartbeat reply brought this change to one member: the first one seen tells when it was written.
     *
     * @param change the change, with the server time it was written
     */
    void written(MembershipChange change) {
        if (!tracking) {
            return;
        }
        Version v = version(change.version());
        if (v.writtenMillis < 0) {
            v.type = change.type();
            v.writtenMillis = change.serverTimeMillis();
        }
    }

    /**
     * One member's listener got an event.
     *
     * @param event      the event
     * @param survivor   whether the receiver is a member that the run does not kill: those must get every version
     * @param wallMillis when, {@link System#currentTimeMillis()}
     */
    void applied(MembershipEvent event, boolean survivor, long wallMillis) {
        if (!tracking) {
            return;
        }
        events.increment();
        if (event.resync()) {
            resyncEvents.increment();
        }
        MembershipView view = event.view();
        Version v = version(view.version());
        v.applies.increment();
        if (survivor) {
            v.survivorApplies.increment();
        }
        v.firstApply.accumulate(wallMillis);
        v.lastApply.accumulate(wallMillis);
        v.first.compareAndSet(null, view);
        MembershipView first = v.first.get();
        if (first == view) {
            v.identical.increment();
        } else if (first.equals(view)) {
            v.equal.increment();
        } else {
            v.mismatched.increment();
        }
    }

    private Version version(long version) {
        Version v = versions.get(version);
        return v != null ? v : versions.computeIfAbsent(version, Version::new);
    }

    /** @return the highest version seen written or applied, 0 if none */
    long maxVersion() {
        return versions.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * @param fromMillis         server time the window started
     * @param toMillis           server time the window ended
     * @param expectedSurvivors  for a version, how many survivors (members the run does not kill) had joined before
     *                           it and so must apply it
     * @return the summary of the versions written in the window
     */
    Summary summarize(long fromMillis, long toMillis, LongToIntFunction expectedSurvivors) {
        List<Version> window = new ArrayList<>();
        for (Version v : versions.values()) {
            if (v.writtenMillis >= fromMillis && v.writtenMillis <= toMillis) {
                window.add(v);
            }
        }
        window.sort((a, b) -> Long.compare(a.version, b.version));
        long[] propagation = new long[window.size()];
        int measured = 0;
        long identical = 0;
        long equal = 0;
        long mismatched = 0;
        long applies = 0;
        int checked = 0;
        int incomplete = 0;
        int mismatchedVersions = 0;
        long firstMismatch = -1;
        for (Version v : window) {
            long n = v.applies.sum();
            applies += n;
            identical += v.identical.sum();
            equal += v.equal.sum();
            long bad = v.mismatched.sum();
            mismatched += bad;
            if (bad > 0) {
                mismatchedVersions++;
                if (firstMismatch < 0) {
                    firstMismatch = v.version;
                }
            }
            if (n > 0) {
                checked++;
                // In nanoseconds, the unit SimulationRun.millis reads.
                propagation[measured++] = (v.lastApply.get() - v.writtenMillis) * 1_000_000L;
            }
            if (v.survivorApplies.sum() < expectedSurvivors.applyAsInt(v.version)) {
                incomplete++;
            }
        }
        long[] sorted = Arrays.copyOf(propagation, measured);
        Arrays.sort(sorted);
        return new Summary(window.size(), checked, applies, identical, equal, mismatched, mismatchedVersions,
                firstMismatch, incomplete, events.sum(), resyncEvents.sum(), SimulationRun.millis(sorted, 0.5),
                SimulationRun.millis(sorted, 0.99), SimulationRun.millis(sorted, 1.0));
    }

    /**
     * The versions written in a window, as the members' listeners got them.
     *
     * @param versions           versions written in the window
     * @param checked            of which at least one member's listener got (and so compared)
     * @param applies            events for those versions, over all members
     * @param identical          of which carried the same view object as the version's first event
     * @param equal              another object, but equal
     * @param mismatched         neither: a member's view differs from another's at the same version
     * @param mismatchedVersions versions with at least one mismatch
     * @param firstMismatch      the lowest such version, -1 if none
     * @param incomplete         versions that fewer survivors got than had joined before them
     * @param events             every event recorded (also of versions outside the window)
     * @param resyncEvents       of which were resyncs (a snapshot replaced a member's view)
     * @param p50Ms              time from the write to the last member's listener, median over versions
     * @param p99Ms              the same, 99th percentile (nearest rank)
     * @param maxMs              the same, maximum
     */
    record Summary(int versions, int checked, long applies, long identical, long equal, long mismatched,
                   int mismatchedVersions, long firstMismatch, int incomplete, long events, long resyncEvents,
                   double p50Ms, double p99Ms, double maxMs) {
    }
}
