package io.clusterix.internal;

import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.MembershipView;
import io.clusterix.spi.JoinResult;
import io.clusterix.spi.MembershipChange;
import io.clusterix.spi.ViewUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * This node's membership view and how it moves: the snapshot its join returns, then every numbered change its
 * heartbeats bring back, applied once each, in order, without gaps. When the store cannot give the changes a gap
 * would need (trimmed, or lost with data Redis lost) it gives a snapshot instead: the view is replaced, and the
 * differences become events marked as a resync, all carrying the snapshot's view. A change whose version does not
 * follow the view's (which the store never sends) is not applied: the next heartbeat asks for a snapshot. Not
 * thread-safe: used under the engine's lock; the events it returns are delivered after the lock is released.
 */
final class MembershipViews {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipViews.class);

    /**
     * The steps the engines of this JVM took along their clusters' histories, so that engines that follow the same
     * history (a multi-tenant JVM, the scale simulator) share their views instead of each building an O(N) copy per
     * change: an engine whose view has the digest a step started from, and that applies the same change, takes the
     * step's result. Bounded, least recently used out.
     */
    private static final Map<Object, Step> STEPS = lru();

    /**
     * The views the engines of this JVM hold, by cluster and version, with their digests: an engine that builds a
     * view from a join's or a resync's snapshot, or applies a change no step has yet, takes the one held for that
     * version if its digest is the same, so that at any version the engines of one history share one view object
     * (without it, each engine that joined kept its own O(N) members until a later change: 18 million live copies of
     * members at 6,500 members of a start-up). Bounded, least recently used out.
     */
    private static final Map<Object, Held> VIEWS = lru();

    private static <V> Map<Object, V> lru() {
        return Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, V> eldest) {
                return size() > 4096;
            }
        });
    }

    /** One change applied to a view with the digest {@code from}. */
    private record Step(long from, MembershipChange change, Held to, MembershipEvent event) {
    }

    /** A view and its {@link #digest}. */
    private record Held(MembershipView view, long digest) {
    }

    private final String nodeId;
    private final Object cluster;
    private MembershipView view = MembershipView.empty();
    /** {@link #digest} of {@link #view}'s members, kept up to date change by change. */
    private long digest;
    /** A change out of order arrived: ask for a snapshot (known version 0) with the next heartbeat. */
    private boolean lost;

    /**
     * @param nodeId  this node's id, for log lines and {@link #leads}
     * @param cluster the cluster (its keys): histories of different clusters never share a step
     */
    MembershipViews(String nodeId, Object cluster) {
        this.nodeId = nodeId;
        this.cluster = cluster;
    }

    /** @return the last view applied */
    MembershipView view() {
        return view;
    }

    /** @return the version to send with the next heartbeat */
    long knownVersion() {
        return lost ? 0 : view.version();
    }

    /**
     * A join took the id: its snapshot is the new view.
     *
     * @param reply the join's result
     * @return no events for a first join (the snapshot is where this node's history starts); for a rejoin after an
     *         eviction, the differences from the view it had, as a resync
     */
    List<MembershipEvent> joined(JoinResult reply) {
        MembershipView before = view;
        lost = false;
        replace(reply.version(), reply.members());
        return before.version() == 0 ? List.of() : differences(before, view);
    }

    /**
     * @param update what a heartbeat's reply brought
     * @return the events of the changes applied, in version order
     */
    List<MembershipEvent> apply(ViewUpdate update) {
        switch (update.kind()) {
            case NONE:
            case CURRENT:
                return List.of();
            case SNAPSHOT: {
                MembershipView before = view;
                lost = false;
                replace(update.version(), update.snapshot());
                LOG.info("Node '{}' resynced its membership view from version {} to {} ({} members)", nodeId,
                        before.version(), view.version(), view.members().size());
                return differences(before, view);
            }
            case CHANGES:
                return changes(update.changes());
            default:
                throw new IllegalStateException(String.valueOf(update.kind()));
        }
    }

    private List<MembershipEvent> changes(List<MembershipChange> changes) {
        List<MembershipEvent> events = new ArrayList<>(changes.size());
        for (MembershipChange change : changes) {
            if (change.version() <= view.version()) {
                continue; // applied already: never a version twice
            }
            if (change.version() != view.version() + 1) {
                LOG.warn("Node '{}' got membership change {} after version {}: a gap; asking for a snapshot", nodeId,
                        change.version(), view.version());
                lost = true;
                break;
            }
            List<Object> key = List.of(cluster, change.version());
            Step step = STEPS.get(key);
            if (step == null || step.from() != digest || !step.change().equals(change)) {
                long from = digest;
                MembershipEvent event = apply(change);
                step = new Step(from, change, new Held(view, digest), event);
                STEPS.put(key, step);
            }
            view = step.to().view();
            digest = step.to().digest();
            if (step.event() != null) {
                events.add(step.event());
            }
        }
        return events;
    }

    /** @return the event, or null for a JOINED of a member the view already holds as it is (a restored entry) */
    private MembershipEvent apply(MembershipChange change) {
        Map<String, Member> members = byId(view);
        Member before = members.get(change.nodeId());
        Member member = change.applyTo(members);
        Member after = members.get(change.nodeId());
        adopt(change.version(), members.values(),
                digest ^ (before == null ? 0 : digest(before)) ^ (after == null ? 0 : digest(after)));
        boolean noChange = change.type() == MembershipEvent.Type.JOINED && Objects.equals(before, member);
        return noChange ? null : new MembershipEvent(change.type(), member, view, false);
    }

    /** A resync: what the snapshot has that the old view had not, and the other way round. */
    private static List<MembershipEvent> differences(MembershipView before, MembershipView after) {
        Map<String, Member> old = byId(before);
        List<MembershipEvent> events = new ArrayList<>();
        for (Member member : after.members()) {
            Member was = old.remove(member.nodeId());
            if (was == null || was.incarnation() != member.incarnation()) {
                if (was != null) {
                    events.add(new MembershipEvent(MembershipEvent.Type.TIMED_OUT, was, after, true));
                }
                events.add(new MembershipEvent(MembershipEvent.Type.JOINED, member, after, true));
            } else if (!was.metadata().equals(member.metadata())) {
                events.add(new MembershipEvent(MembershipEvent.Type.UPDATED, member, after, true));
            }
        }
        for (Member gone : old.values()) {
            events.add(new MembershipEvent(MembershipEvent.Type.TIMED_OUT, gone, after, true));
        }
        return events;
    }

    /** Replaces the view with the members of a snapshot. */
    private void replace(long version, List<Member> members) {
        long d = 0;
        for (Member member : members) {
            d ^= digest(member);
        }
        adopt(version, members, d);
    }

    /** Makes the view that of these members at this version: the one held for it if it has the same digest. */
    private void adopt(long version, Collection<Member> members, long membersDigest) {
        List<Object> key = List.of(cluster, version);
        Held held = VIEWS.get(key);
        if (held == null || held.digest() != membersDigest) {
            held = new Held(new MembershipView(version, List.copyOf(members)), membersDigest);
            VIEWS.putIfAbsent(key, held); // a view that differs (which one history never makes) does not displace it
        }
        view = held.view();
        digest = membersDigest;
    }

    /** @return a 64-bit hash of one member: the view's digest is the XOR of its members', so a change updates it in O(1) */
    private static long digest(Member member) {
        long h = member.nodeId().hashCode() * 0x9E3779B97F4A7C15L;
        h ^= member.incarnation() * 0xC2B2AE3D27D4EB4FL;
        h ^= member.metadata().hashCode() * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 33);
    }

    /** @return the digest of the view's members, equal in every engine whose view holds the same members */
    long digest() {
        return digest;
    }

    private static Map<String, Member> byId(MembershipView view) {
        Map<String, Member> members = new LinkedHashMap<>();
        view.members().forEach(m -> members.put(m.nodeId(), m));
        return members;
    }

    /**
     * @param incarnation this node's incarnation
     * @return true if this node is the oldest member of the view
     */
    boolean leads(long incarnation) {
        return view.leader().map(m -> m.nodeId().equals(nodeId) && m.incarnation() == incarnation).orElse(false);
    }

    /** This node stopped being a member: its view stays as it was, until a rejoin's snapshot replaces it. */
    void stopped() {
        lost = false;
    }
}
