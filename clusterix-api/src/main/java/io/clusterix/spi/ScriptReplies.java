package io.clusterix.spi;

import io.clusterix.ClusterKeys;
import io.clusterix.ClusterixException;
import io.clusterix.Member;
import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownEvent;
import io.clusterix.NodeDownReason;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the script's flat replies (see the reply of each operation in {@code clusterix.lua}) into the SPI's types,
 * field after field.
 */
final class ScriptReplies {
    private final String op;
    private final List<String> reply;
    private int at;

    private ScriptReplies(String op, List<String> reply) {
        this.op = op;
        this.reply = reply;
    }

    /** JOINED|TAKEN_OVER now epoch incarnation previous reason version SNAPSHOT members..., or LIVE now epoch last owner. */
    static JoinResult join(ClusterKeys keys, String nodeId, List<String> reply) {
        ScriptReplies r = new ScriptReplies("join", reply);
        String status = r.next();
        long now = r.number();
        String epoch = r.next();
        switch (status) {
            case "LIVE": {
                long last = r.number();
                return new JoinResult(JoinResult.Outcome.LIVE, now, epoch, r.number(), last, Optional.empty(), 0,
                        List.of());
            }
            case "JOINED":
            case "TAKEN_OVER": {
                long incarnation = r.number();
                String previous = r.next();
                String reason = r.next();
                long version = r.number();
                r.expect("SNAPSHOT");
                List<Member> members = r.snapshot();
                Optional<NodeDownEvent> predecessor = status.equals("JOINED") ? Optional.empty()
                        : Optional.of(new NodeDownEvent(keys.clusterId(), nodeId, Long.parseLong(previous),
                        reason(reason), 1));
                return new JoinResult(status.equals("JOINED") ? JoinResult.Outcome.JOINED
                        : JoinResult.Outcome.TAKEN_OVER, now, epoch, incarnation, 0, predecessor, version, members);
            }
            default:
                throw r.unexpected();
        }
    }

    /**
     * TICKS now epoch version count, then for each heartbeat: status owner deadline deathCount deaths..., then the
     * call's one view (NONE | CURRENT | CHANGES... | SNAPSHOT...), which each heartbeat takes from its own version on.
     *
     * @param beats the heartbeats the call carried, in order
     */
    static List<HeartbeatResult> heartbeats(ClusterKeys keys, List<Heartbeat> beats, List<String> reply) {
        ScriptReplies r = new ScriptReplies("heartbeat", reply);
        r.expect("TICKS");
        long now = r.number();
        String epoch = r.next();
        long version = r.number();
        if (r.number() != beats.size()) {
            throw r.unexpected();
        }
        HeartbeatResult.Status[] statuses = new HeartbeatResult.Status[beats.size()];
        long[] deadlines = new long[beats.size()];
        List<List<NodeDownEvent>> deaths = new ArrayList<>(beats.size());
        for (int i = 0; i < beats.size(); i++) {
            statuses[i] = r.status();
            r.next(); // the owner: for a human reading the reply in redis-cli
            String deadline = r.next();
            deadlines[i] = deadline.isEmpty() ? 0 : Long.parseLong(deadline);
            deaths.add(r.deaths(keys));
        }
        ViewUpdate view = r.view(version);
        List<HeartbeatResult> results = new ArrayList<>(beats.size());
        for (int i = 0; i < beats.size(); i++) {
            results.add(new HeartbeatResult(statuses[i], now, epoch, deadlines[i], deaths.get(i),
                    view.from(beats.get(i).knownVersion())));
        }
        return results;
    }

    private HeartbeatResult.Status status() {
        String word = next();
        switch (word) {
            case "OK":
            case "RESTORED":
            case "DECLARED_DEAD":
            case "TAKEN_OVER":
            case "LEFT":
                return HeartbeatResult.Status.valueOf(word);
            case "POLL":
                return HeartbeatResult.Status.OK;
            default:
                throw unexpected();
        }
    }

    private List<NodeDownEvent> deaths(ClusterKeys keys) {
        int count = (int) number();
        List<NodeDownEvent> dead = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = next();
            long incarnation = number();
            NodeDownReason reason = reason(next());
            dead.add(new NodeDownEvent(keys.clusterId(), id, incarnation, reason, (int) number()));
        }
        return dead;
    }

    private ViewUpdate view(long version) {
        String kind = next();
        switch (kind) {
            case "NONE":
                return ViewUpdate.NONE;
            case "CURRENT":
                return new ViewUpdate(ViewUpdate.Kind.CURRENT, version, List.of(), List.of());
            case "SNAPSHOT":
                return new ViewUpdate(ViewUpdate.Kind.SNAPSHOT, version, List.of(), snapshot());
            case "CHANGES": {
                List<MembershipChange> changes = changes();
                // END, or the members for the callers of this call that know less than the first change's predecessor
                return new ViewUpdate(ViewUpdate.Kind.CHANGES, version, changes,
                        next().equals("SNAPSHOT") ? snapshot() : List.of());
            }
            default:
                throw unexpected();
        }
    }

    /**
     * The changes: their count, the history entries ({@code version|type|incarnation|time|nodeId}, the node id last,
     * as it may hold any character), then the metadata of each {@code JOINED} and {@code UPDATED} among them, in order.
     */
    private List<MembershipChange> changes() {
        int count = (int) number();
        String[] entries = new String[count];
        for (int i = 0; i < count; i++) {
            entries[i] = next();
        }
        List<MembershipChange> changes = new ArrayList<>(count);
        for (String entry : entries) {
            int a = entry.indexOf('|');
            int b = a < 0 ? -1 : entry.indexOf('|', a + 1);
            int c = b < 0 ? -1 : entry.indexOf('|', b + 1);
            int d = c < 0 ? -1 : entry.indexOf('|', c + 1);
            if (d < 0) {
                throw unexpected();
            }
            MembershipEvent.Type type = MembershipEvent.Type.valueOf(entry.substring(a + 1, b));
            Map<String, String> metadata = type == MembershipEvent.Type.JOINED || type == MembershipEvent.Type.UPDATED
                    ? MetadataCodec.decode(next()) : Map.of();
            changes.add(new MembershipChange(Long.parseLong(entry.substring(0, a)), type, entry.substring(d + 1),
                    Long.parseLong(entry.substring(b + 1, c)), Long.parseLong(entry.substring(c + 1, d)), metadata));
        }
        return changes;
    }

    /**
     * The script's kept snapshot (its version, its members as {@link KeptSnapshots} decodes them) and the changes
     * since, folded: the members at the reply's version.
     */
    private List<Member> snapshot() {
        next(); // the kept snapshot's version: the changes after it follow
        Map<String, Member> members;
        try {
            members = new LinkedHashMap<>(KeptSnapshots.members(next()));
        } catch (IllegalArgumentException e) {
            throw unexpected();
        }
        for (MembershipChange change : changes()) {
            change.applyTo(members);
        }
        return new ArrayList<>(members.values());
    }

    private static NodeDownReason reason(String word) {
        // "left" and "timeout": claims written by clusterix 0.1 before the one vocabulary.
        return "LEFT".equals(word) || "left".equals(word) ? NodeDownReason.LEFT : NodeDownReason.TIMED_OUT;
    }

    private String next() {
        if (at >= reply.size()) {
            throw unexpected();
        }
        return reply.get(at++);
    }

    private long number() {
        return Long.parseLong(next());
    }

    private void expect(String word) {
        if (!word.equals(next())) {
            throw unexpected();
        }
    }

    private ClusterixException unexpected() {
        return new ClusterixException("Unexpected reply to clusterix '" + op + "': " + reply + ". The server runs a"
                + " different clusterix.lua under the same SHA-1, or the backend converts replies wrongly.");
    }
}
