package io.clusterix.micrometer;

import io.clusterix.Clusterix;
import io.clusterix.EvictionReason;
import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownReason;
import io.clusterix.Registration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one {@link Clusterix} instance, for any Micrometer {@link MeterRegistry}, with or without Spring:
 *
 * <pre>{@code
 * ClusterixMetrics metrics = new ClusterixMetrics(cluster);
 * metrics.bindTo(registry);          // before or after initializeNode()
 * ...
 * metrics.close();                   // removes its listeners (the meters stay in the registry)
 * }</pre>
 *
 * <p>Every meter carries the tags {@code cluster} (the cluster id, empty for the default cluster) and {@code node}
 * (this node's id), plus the extra tags given to the constructor:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code clusterix.members}</td><td>gauge</td><td></td><td>members of this node's view (local, no Redis
 *       call)</td></tr>
 *   <tr><td>{@code clusterix.leader}</td><td>gauge</td><td></td><td>1 while {@link Clusterix#isLeader()}, else
 *       0</td></tr>
 *   <tr><td>{@code clusterix.heartbeat}</td><td>timer</td><td></td><td>round trip of each heartbeat that got a reply
 *       (p50, p95, p99 and a histogram); failed heartbeats count in {@code clusterix.errors}</td></tr>
 *   <tr><td>{@code clusterix.node.downs}</td><td>counter</td><td>{@code reason} ({@code timed_out},
 *       {@code left})</td><td>deaths this node handled (its node-down listeners got them)</td></tr>
 *   <tr><td>{@code clusterix.node.downs.redelivered}</td><td>counter</td><td>{@code reason}</td><td>those of them
 *       handed to this node again because their first handler died first ({@code delivery() > 1})</td></tr>
 *   <tr><td>{@code clusterix.evictions}</td><td>counter</td><td>{@code reason} ({@code declared_dead},
 *       {@code taken_over})</td><td>times this node learned it had lost its entry</td></tr>
 *   <tr><td>{@code clusterix.connection.state}</td><td>gauge</td><td>{@code state} ({@code connected},
 *       {@code suspended}, {@code not_member})</td><td>1 for the state this node is in, 0 for the others</td></tr>
 *   <tr><td>{@code clusterix.errors}</td><td>counter</td><td>{@code exception} (simple class name)</td><td>background
 *       failures: heartbeats and polls that failed or timed out, listeners that threw</td></tr>
 *   <tr><td>{@code clusterix.membership.changes}</td><td>counter</td><td>{@code type} ({@code joined},
 *       {@code updated}, {@code left}, {@code timed_out}), {@code resync}</td><td>membership changes this node
 *       applied</td></tr>
 * </table>
 *
 * <p>Counters and the timer count what happens after {@link #bindTo}; the counters of every known tag value are
 * registered at once, at 0. The values arrive through clusterix's
 * listeners, on its listener executor, never on the thread that sends heartbeats. {@code not_member} covers the time
 * before the join, a rejoin after an eviction, and after {@link Clusterix#close()}: {@link Clusterix#incarnation()}
 * is 0 then. Thread-safe; one instance may be bound to several registries.
 */
public final class ClusterixMetrics implements MeterBinder, AutoCloseable {
    private final Clusterix cluster;
    private final Tags tags;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    /**
     * @param cluster the instance to measure
     */
    public ClusterixMetrics(Clusterix cluster) {
        this(cluster, Tags.empty());
    }

    /**
     * @param cluster   the instance to measure
     * @param extraTags tags added to every meter, besides {@code cluster} and {@code node}
     */
    public ClusterixMetrics(Clusterix cluster, Iterable<Tag> extraTags) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.tags = Tags.of("cluster", cluster.id(), "node", cluster.nodeId()).and(extraTags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("clusterix.members", cluster, c -> c.view().members().size()).tags(tags)
                .description("Members of this node's membership view").baseUnit("members").register(registry);
        Gauge.builder("clusterix.leader", cluster, c -> c.isLeader() ? 1 : 0).tags(tags)
                .description("1 while this node leads its cluster, else 0").register(registry);
        for (String state : List.of("connected", "suspended", "not_member")) {
            Gauge.builder("clusterix.connection.state", cluster, c -> state.equals(state(c)) ? 1 : 0).tags(tags)
                    .tag("state", state).description("1 for the connection state this node is in, 0 for the others")
                    .register(registry);
        }
        Timer heartbeat = Timer.builder("clusterix.heartbeat").tags(tags)
                .description("Round trip of one heartbeat call to Redis, from the call to its reply")
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        registrations.add(cluster.onHeartbeat(t -> heartbeat.record(t.roundTripNanos(), TimeUnit.NANOSECONDS)));
        // Every counter with a known tag value exists from the start, at 0, so that a rate can be taken of it.
        for (NodeDownReason reason : NodeDownReason.values()) {
            nodeDowns(registry, reason, false);
            nodeDowns(registry, reason, true);
        }
        for (EvictionReason reason : EvictionReason.values()) {
            evictions(registry, reason);
        }
        for (MembershipEvent.Type type : MembershipEvent.Type.values()) {
            changes(registry, type, false);
        }
        registrations.add(cluster.onNodeDown(down -> {
            nodeDowns(registry, down.reason(), false).increment();
            if (down.delivery() > 1) {
                nodeDowns(registry, down.reason(), true).increment();
            }
        }));
        registrations.add(cluster.onEvicted(eviction -> evictions(registry, eviction.reason()).increment()));
        registrations.add(cluster.onError(error -> counter(registry, "clusterix.errors",
                "Background failures: failed or timed-out heartbeats and polls, listeners that threw", "exception",
                error.getClass().getSimpleName()).increment()));
        registrations.add(cluster.onMembershipChanged(change ->
                changes(registry, change.type(), change.resync()).increment()));
    }

    /** Removes this binder's listeners; the meters stay registered (and counters stop moving). Idempotent. */
    @Override
    public void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
    }

    private String state(Clusterix c) {
        if (c.incarnation() == 0) {
            return "not_member";
        }
        return c.isSuspended() ? "suspended" : "connected";
    }

    private Counter nodeDowns(MeterRegistry registry, NodeDownReason reason, boolean redelivered) {
        return redelivered ? counter(registry, "clusterix.node.downs.redelivered", "Deaths handed to this node again"
                + " because their first handler died before it returned", "reason", lower(reason))
                : counter(registry, "clusterix.node.downs", "Deaths and leaves this node handled", "reason",
                lower(reason));
    }

    private Counter evictions(MeterRegistry registry, EvictionReason reason) {
        return counter(registry, "clusterix.evictions", "Times this node learned that it had lost its entry",
                "reason", lower(reason));
    }

    private Counter changes(MeterRegistry registry, MembershipEvent.Type type, boolean resync) {
        return Counter.builder("clusterix.membership.changes").tags(tags).tag("type", lower(type))
                .tag("resync", Boolean.toString(resync)).description("Membership changes this node applied")
                .register(registry);
    }

    private Counter counter(MeterRegistry registry, String name, String description, String tag, String value) {
        return Counter.builder(name).tags(tags).tag(tag, value).description(description).register(registry);
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
