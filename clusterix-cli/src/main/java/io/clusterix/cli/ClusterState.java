package io.clusterix.cli;

import io.clusterix.ClusterKeys;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Redis holds of one cluster at one moment, read with plain read commands (the tool writes nothing): every
 * entry with its incarnation, the age of its last heartbeat by Redis time, its metadata; the deaths that survivors are
 * handling or that wait for a poll; the version of the last change; and the leader as every member's view has it
 * (the oldest member: the lowest incarnation among the entries that did not leave).
 *
 * @param keys       the cluster
 * @param serverTime the Redis server's clock when read, ms
 * @param version    the number of the last membership change, 0 if none
 * @param timeout    the cluster's timeout, ms: what tells a live entry from a stale one
 * @param members    every entry, oldest first
 * @param claims     the claimed deaths, oldest first
 */
record ClusterState(ClusterKeys keys, long serverTime, long version, long timeout, List<Member> members,
                    List<Claim> claims) {

    /** What an entry is now. */
    enum Status {
        /** its last heartbeat is at most {@code timeout} old */
        LIVE,
        /** older: dead, and the next poll of a survivor claims it */
        STALE,
        /** it left gracefully; the next poll of a survivor reports it */
        LEFT
    }

    /**
     * @param nodeId        the node id
     * @param incarnation   the incarnation that owns the id, 0 if none does
     * @param lastHeartbeat server time of the last heartbeat, ms; 0 for a node that left
     * @param status        live, stale or left
     * @param leader        the oldest member, the leader in every member's view
     * @param metadata      what the member published
     */
    record Member(String nodeId, long incarnation, long lastHeartbeat, Status status, boolean leader,
                  Map<String, String> metadata) {
        /**
         * @param now server time
         * @return ms since the last heartbeat, -1 for a node that left
         */
        long age(long now) {
            return lastHeartbeat == 0 ? -1 : Math.max(0, now - lastHeartbeat);
        }
    }

    /**
     * A death that a survivor handles (or, when its claim lapsed, that the next poll hands to another).
     *
     * @param nodeId      the dead node
     * @param incarnation its incarnation
     * @param reason      TIMED_OUT or LEFT
     * @param delivery    how many times it was handed out
     * @param claimer     the node id of the claimer's incarnation, or "incarnation N" when no entry has it now
     * @param renewed     server time of the claim's last renewal, ms
     */
    record Claim(String nodeId, long incarnation, String reason, int delivery, String claimer, long renewed) {
    }

    /** @return the leader's node id, if there is a member */
    Optional<String> leader() {
        return members.stream().filter(Member::leader).map(Member::nodeId).findFirst();
    }

    /** @return how many entries have that status */
    long count(Status status) {
        return members.stream().filter(m -> m.status() == status).count();
    }

    /**
     * Reads the state; repeats the reads (a few times) if a change was written meanwhile, so that the members, the
     * claims and the version belong together.
     *
     * @param redis   the connection
     * @param timeout the cluster's timeout, ms
     * @return the state
     */
    static ClusterState read(RedisConnection redis, long timeout) {
        try {
            ClusterState state = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                state = readOnce(redis, timeout);
                if (state.version() == version(redis.commands(), redis.keys())) {
                    return state;
                }
            }
            return state;
        } catch (RedisException e) {
            throw Failures.during("reading the members of " + redis.keys(), e);
        }
    }

    static long version(RedisClusterCommands<String, String> redis, ClusterKeys keys) {
        String version = redis.hget(keys.clock(), "version");
        return version == null ? 0 : Long.parseLong(version);
    }

    static long serverTime(RedisConnection redis) {
        List<String> time = redis.keyServer().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static ClusterState readOnce(RedisConnection redis, long timeout) {
        RedisClusterCommands<String, String> commands = redis.commands();
        ClusterKeys keys = redis.keys();
        long version = version(commands, keys);
        List<ScoredValue<String>> heartbeats = commands.zrangeWithScores(keys.heartbeats(), 0, -1);
        Map<String, String> owners = commands.hgetall(keys.owners());
        Map<String, String> info = commands.hgetall(keys.claimInfo());
        List<ScoredValue<String>> claimed = commands.zrangeWithScores(keys.claims(), 0, -1);
        // After the reads: no heartbeat or renewal read is later than this, so no age comes out negative.
        long now = serverTime(redis);
        Map<String, String> byIncarnation = new HashMap<>();
        owners.forEach((id, incarnation) -> byIncarnation.put(incarnation, id));

        List<Member> members = new ArrayList<>();
        for (ScoredValue<String> entry : heartbeats) {
            String id = entry.getValue();
            long last = (long) entry.getScore();
            Status status = last == 0 ? Status.LEFT : now - last <= timeout ? Status.LIVE : Status.STALE;
            String owner = owners.get(id);
            members.add(new Member(id, owner == null ? 0 : Long.parseLong(owner), last, status, false,
                    metadata(commands, keys, id)));
        }
        members.sort(Comparator.comparingLong(Member::incarnation).thenComparing(Member::nodeId));
        Optional<Member> oldest = members.stream().filter(m -> m.status() != Status.LEFT && m.incarnation() > 0)
                .findFirst();
        oldest.ifPresent(leader -> members.set(members.indexOf(leader), new Member(leader.nodeId(),
                leader.incarnation(), leader.lastHeartbeat(), leader.status(), true, leader.metadata())));

        List<Claim> claims = new ArrayList<>();
        for (ScoredValue<String> claim : claimed) {
            String[] parts = info.getOrDefault(claim.getValue(), "0:0:?:?").split(":", 4);
            String claimer = byIncarnation.getOrDefault(parts[1], "0".equals(parts[1]) ? "nobody yet"
                    : "incarnation " + parts[1]);
            claims.add(new Claim(parts[3], Long.parseLong(claim.getValue()), parts[2], Integer.parseInt(parts[0]),
                    claimer, (long) claim.getScore()));
        }
        return new ClusterState(keys, now, version, timeout, List.copyOf(members), List.copyOf(claims));
    }

    private static Map<String, String> metadata(RedisClusterCommands<String, String> commands, ClusterKeys keys,
                                                String id) {
        String current = commands.hget(keys.metadata(), "c:" + id);
        return current == null ? Map.of() : decode(commands.hget(keys.metadata(), "m:" + current));
    }

    /**
     * The script's metadata encoding (clusterix-api's MetadataCodec, package-private there): each entry as
     * {@code <key length>:<key><value length>:<value>}, lengths in UTF-16 chars.
     */
    static Map<String, String> decode(String encoded) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int at = 0;
        try {
            while (encoded != null && at < encoded.length()) {
                String[] entry = new String[2];
                for (int part = 0; part < 2; part++) {
                    int colon = encoded.indexOf(':', at);
                    int length = Integer.parseInt(encoded.substring(at, colon));
                    entry[part] = encoded.substring(colon + 1, colon + 1 + length);
                    at = colon + 1 + length;
                }
                metadata.put(entry[0], entry[1]);
            }
        } catch (RuntimeException e) {
            metadata.put("(damaged)", encoded);
        }
        return metadata;
    }
}
