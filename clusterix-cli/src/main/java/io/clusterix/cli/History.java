package io.clusterix.cli;

import io.clusterix.ClusterKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The membership history as Redis keeps it (the sorted set {@code history}: the last 1,000 changes, none older than
 * an hour once a later one is written), each change with the leader after it. The leader of older changes is found
 * by undoing the changes, newest first, from the members Redis holds now.
 */
final class History {
    /**
     * One change.
     *
     * @param version     its number
     * @param type        JOINED, UPDATED, LEFT or TIMED_OUT
     * @param incarnation the member's incarnation
     * @param time        server time of the change, ms
     * @param nodeId      the member
     * @param leader      the leader after the change, "" when no member was left
     */
    record Change(long version, String type, long incarnation, long time, String nodeId, String leader) {
        /** @return the change as one line: version, time, type, node, incarnation, leader */
        String line() {
            return String.format("%-17d %-24s %-9s %-20s incarnation %d  leader %s", version,
                    Instant.ofEpochMilli(time), type, nodeId, incarnation, leader.isEmpty() ? "(none)" : leader);
        }
    }

    private History() {
    }

    /**
     * @param redis the connection
     * @return every retained change, oldest first, with the leader after each
     */
    static List<Change> read(RedisConnection redis, long timeout) {
        try {
            for (int attempt = 0; ; attempt++) {
                ClusterState state = ClusterState.read(redis, timeout);
                List<String> entries = redis.commands().zrangebyscore(redis.keys().history(),
                        Range.create(Double.NEGATIVE_INFINITY, (double) state.version()));
                if (ClusterState.version(redis.commands(), redis.keys()) == state.version() || attempt == 4) {
                    return withLeaders(state, entries);
                }
            }
        } catch (RedisException e) {
            throw Failures.during("reading the history of " + redis.keys(), e);
        }
    }

    /**
     * @param redis the connection
     * @param after a version
     * @param limit at most this many
     * @return the raw changes after that version, oldest first, without leaders
     */
    static List<Change> after(RedisConnection redis, long after, int limit) {
        ClusterKeys keys = redis.keys();
        List<String> entries = redis.commands().zrangebyscore(keys.history(),
                Range.from(Range.Boundary.excluding((double) after), Range.Boundary.unbounded()),
                Limit.create(0, limit));
        List<Change> changes = new ArrayList<>();
        for (String entry : entries) {
            changes.add(parse(entry, ""));
        }
        return changes;
    }

    /** @return the change an entry {@code version|type|incarnation|time|nodeId} records */
    static Change parse(String entry, String leader) {
        String[] parts = entry.split("\\|", 5);
        return new Change(Long.parseLong(parts[0]), parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                parts[4], leader);
    }

    /**
     * Applies a change to a view (node id to incarnation).
     *
     * @param view the members, changed in place
     * @param change the change
     */
    static void apply(Map<String, Long> view, Change change) {
        switch (change.type()) {
            case "JOINED" -> view.put(change.nodeId(), change.incarnation());
            case "LEFT", "TIMED_OUT" -> view.remove(change.nodeId(), change.incarnation());
            default -> { }
        }
    }

    /** @return the oldest member of a view, "" for none */
    static String leader(Map<String, Long> view) {
        return view.entrySet().stream().min(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse("");
    }

    /** @return the members of a state's view: node id to incarnation, every owned entry that did not leave */
    static Map<String, Long> view(ClusterState state) {
        Map<String, Long> view = new HashMap<>();
        state.members().stream().filter(m -> m.status() != ClusterState.Status.LEFT && m.incarnation() > 0)
                .forEach(m -> view.put(m.nodeId(), m.incarnation()));
        return view;
    }

    private static List<Change> withLeaders(ClusterState state, List<String> entries) {
        Map<String, Long> view = view(state);
        List<Change> changes = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Change change = parse(entries.get(i), leader(view));
            changes.add(change);
            // Undo it: the view before the change.
            switch (change.type()) {
                case "JOINED" -> view.remove(change.nodeId(), change.incarnation());
                case "LEFT", "TIMED_OUT" -> view.put(change.nodeId(), change.incarnation());
                default -> { }
            }
        }
        Collections.reverse(changes);
        changes.sort(Comparator.comparingLong(Change::version));
        return changes;
    }

    /** @return the changes of one node only, if a node is given */
    static List<Change> of(List<Change> changes, Optional<String> node) {
        return node.map(id -> changes.stream().filter(c -> c.nodeId().equals(id)).toList()).orElse(changes);
    }
}
