package io.clusterix.bench;

import io.clusterix.Clusterix;
import io.clusterix.NodeDownReason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the listeners of a run's measured nodes report, each event with the System.nanoTime() it arrived: "node down"
 * events, evictions and errors; and, once the window is over, what the "node down" events say: which kills were
 * detected, how long after the kill and after the victim's last heartbeat, and which events were false, in the
 * start-up or in the window. Thread-safe: the listeners run on the engines' callback threads.
 */
final class NodeEvents {
    private final ConcurrentLinkedQueue<Down> downs = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> evictions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> errors = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sampled = new AtomicInteger();

    /** A "node down" event as one node's listener received it (System.nanoTime() on the receiver). */
    record Down(String nodeId, long incarnation, NodeDownReason reason, int delivery, int receiver, long nanos) {
    }

    /**
     * What the "node down" events of a run say.
     *
     * @param falseDowns        events in the window for a node that was not killed (or before its kill)
     * @param startupFalseDowns such events before the window
     * @param duplicates        events for a victim after its first detection
     * @param detected          victims reported down after their kill
     * @param fromKill          sorted nanoseconds from each victim's kill to its first detection
     * @param fromHeartbeat     sorted nanoseconds from each victim's last heartbeat to its first detection
     */
    record Detections(long falseDowns, long startupFalseDowns, int duplicates, int detected, long[] fromKill,
                      long[] fromHeartbeat) {
    }

    /** Hooks this record to the listeners of the measured node {@code id}, number {@code receiver}. */
    void listen(Clusterix cluster, int receiver, String id) {
        cluster.onNodeDown(down -> downs.add(new Down(down.nodeId(), down.incarnation(), down.reason(),
                down.delivery(), receiver, System.nanoTime())));
        cluster.onEvicted(evicted -> evictions.add(System.nanoTime()));
        cluster.onError(error -> {
            errors.add(System.nanoTime());
            if (sampled.incrementAndGet() <= 3) {
                errorSamples.add(id + ": " + error);
            }
        });
    }

    /** @return how many victims the latest "node down" event about them reports at or after their kill */
    int detected(List<VirtualNode> victims) {
        Map<String, Long> latest = new HashMap<>();
        for (Down down : downs) {
            latest.merge(down.nodeId, down.nanos, Math::max);
        }
        int detected = 0;
        for (VirtualNode victim : victims) {
            Long at = latest.get(victim.id);
            if (at != null && at >= victim.killedAt) {
                detected++;
            }
        }
        return detected;
    }

    /** @return a copy of the "node down" events received so far */
    List<Down> downs() {
        return new ArrayList<>(downs);
    }

    /** @return evictions received so far */
    int evictions() {
        return evictions.size();
    }

    /** @return evictions received from {@code from} to {@code to}, System.nanoTime() */
    long evictionsBetween(long from, long to) {
        return evictions.stream().filter(at -> at >= from && at <= to).count();
    }

    /** @return errors received so far */
    int errors() {
        return errors.size();
    }

    /** @return errors received from {@code from} to {@code to}, System.nanoTime() */
    long errorsBetween(long from, long to) {
        return errors.stream().filter(at -> at >= from && at <= to).count();
    }

    /** Logs the first few errors, so that a run with errors says what they were. */
    void logErrorSamples() {
        errorSamples.forEach(sample -> SimulationRun.log("error sample: %s", sample));
    }

    /**
     * Tells detections from false "node down" events and logs the first few false ones, and when they came.
     *
     * @param events      the events, copied once the wait for late detections is over; sorted here
     * @param victims     the nodes killed in the window
     * @param startNanos  when the first node started to join
     * @param t0          when the window started
     * @param tEnd        when the window's figures were read
     * @param connections the run's K: false events by node index modulo K point at one connection
     * @return what the events say
     */
    static Detections detections(List<Down> events, List<VirtualNode> victims, long startNanos, long t0, long tEnd,
                                 int connections) {
        Map<String, VirtualNode> victimById = new HashMap<>();
        victims.forEach(v -> victimById.put(v.id, v));
        Map<String, Long> firstDetection = new HashMap<>();
        long falseDowns = 0;
        long startupFalseDowns = 0;
        int duplicates = 0;
        Map<Long, Integer> falseBySecond = new TreeMap<>();
        Map<Integer, Integer> falseByConnection = new TreeMap<>();
        events.sort((a, b) -> Long.compare(a.nanos, b.nanos));
        for (Down down : events) {
            VirtualNode victim = victimById.get(down.nodeId);
            if (victim == null || down.nanos < victim.killedAt) {
                if (down.nanos < t0) {
                    startupFalseDowns++;
                } else {
                    falseDowns++;
                }
                if (falseDowns + startupFalseDowns <= 3) {
                    SimulationRun.log("false node-down: %s (incarnation %d, %s, delivery %d) reported to node-%05d",
                            down.nodeId, down.incarnation, down.reason, down.delivery, down.receiver);
                }
                falseBySecond.merge((down.nanos - startNanos) / 1_000_000_000L, 1, Integer::sum);
                falseByConnection.merge(index(down.nodeId) % connections, 1, Integer::sum);
            } else if (firstDetection.putIfAbsent(down.nodeId, down.nanos) != null) {
                duplicates++;
            }
        }
        if (!falseBySecond.isEmpty()) {
            SimulationRun.log("false node-downs by second after the first join (window: %d..%d s): %s; by node index"
                    + " modulo K: %s", (t0 - startNanos) / 1_000_000_000L, (tEnd - startNanos) / 1_000_000_000L,
                    falseBySecond, falseByConnection);
        }
        long[] fromKill = new long[firstDetection.size()];
        long[] fromHeartbeat = new long[firstDetection.size()];
        int d = 0;
        for (Map.Entry<String, Long> detection : firstDetection.entrySet()) {
            VirtualNode victim = victimById.get(detection.getKey());
            fromKill[d] = detection.getValue() - victim.killedAt;
            fromHeartbeat[d] = detection.getValue() - victim.store.lastHeartbeatNanos();
            d++;
        }
        Arrays.sort(fromKill);
        Arrays.sort(fromHeartbeat);
        return new Detections(falseDowns, startupFalseDowns, duplicates, firstDetection.size(), fromKill,
                fromHeartbeat);
    }

    private static int index(String nodeId) {
        return Integer.parseInt(nodeId.substring(nodeId.indexOf('-') + 1));
    }
}
