package io.clusterix;

import java.util.List;
import java.util.Objects;

/**
 * The Redis keys of one cluster. Every key carries the same hash tag, {@code {keyPrefix}} for the default cluster
 * ({@code id = ""}) or {@code {keyPrefix:id}} otherwise, so that all keys of a cluster live in one Redis Cluster slot
 * and one script may touch them all.
 *
 * <table>
 *   <caption>Key layout, for keyPrefix {@code clusterix} and id {@code orders}</caption>
 *   <tr><th>key</th><th>type</th><th>content</th></tr>
 *   <tr><td>{@code {clusterix:orders}:heartbeats}</td><td>sorted set</td>
 *       <td>member: node id; score: Redis server time in ms of the node's last heartbeat (0: the node left)</td></tr>
 *   <tr><td>{@code {clusterix:orders}:owners}</td><td>hash</td>
 *       <td>node id to the incarnation that owns it</td></tr>
 *   <tr><td>{@code {clusterix:orders}:incarnations}</td><td>string</td>
 *       <td>the highest incarnation handed out</td></tr>
 *   <tr><td>{@code {clusterix:orders}:claims}</td><td>sorted set</td>
 *       <td>member: incarnation of a dead node whose "node down" a survivor is handling; score: server time (ms)
 *           of the claim's last renewal</td></tr>
 *   <tr><td>{@code {clusterix:orders}:claim-info}</td><td>hash</td>
 *       <td>incarnation to {@code delivery:claimer:reason:nodeId}</td></tr>
 *   <tr><td>{@code {clusterix:orders}:clock}</td><td>hash</td>
 *       <td>{@code seen}, {@code resume}, {@code before}: server times for outage grace; {@code epoch}: when this
 *           state was created; {@code watch}, {@code watched}: the next reap deadline; {@code version}: the number
 *           of the last membership change</td></tr>
 *   <tr><td>{@code {clusterix:orders}:history}</td><td>sorted set</td>
 *       <td>the membership changes: score = version, member = {@code version|type|incarnation|time|nodeId}; the last
 *           1,000, none older than an hour once a later change is written</td></tr>
 *   <tr><td>{@code {clusterix:orders}:metadata}</td><td>hash</td>
 *       <td>{@code m:<version>}: the metadata a JOINED or UPDATED of that version set; {@code c:<nodeId>}: the
 *           version of the member's current metadata</td></tr>
 * </table>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ClusterKeys {
    /** Longest accepted key prefix, in characters. */
    public static final int MAX_PREFIX_LENGTH = 128;
    /** Longest accepted cluster id, in characters. */
    public static final int MAX_ID_LENGTH = 128;

    private final String keyPrefix;
    private final String clusterId;
    private final String hashTag;
    private final List<String> all;

    private ClusterKeys(String keyPrefix, String clusterId) {
        this.keyPrefix = keyPrefix;
        this.clusterId = clusterId;
        this.hashTag = "{" + (clusterId.isEmpty() ? keyPrefix : keyPrefix + ":" + clusterId) + "}";
        this.all = List.of(hashTag + ":heartbeats", hashTag + ":owners", hashTag + ":incarnations",
                hashTag + ":claims", hashTag + ":claim-info", hashTag + ":clock", hashTag + ":history",
                hashTag + ":metadata");
    }

    /**
     * @param keyPrefix the key prefix, non-empty, without {@code {} or {@code }}
     * @param clusterId the cluster id, possibly empty, without {@code {} or {@code }}
     * @return the keys of that cluster
     * @throws IllegalArgumentException naming the option if either value is not acceptable
     */
    public static ClusterKeys of(String keyPrefix, String clusterId) {
        checkPart("keyPrefix", keyPrefix, MAX_PREFIX_LENGTH, false);
        checkPart("id", clusterId, MAX_ID_LENGTH, true);
        return new ClusterKeys(keyPrefix, clusterId);
    }

    private static void checkPart(String option, String value, int maxLength, boolean mayBeEmpty) {
        Objects.requireNonNull(value, option);
        if (value.isEmpty() && !mayBeEmpty) {
            throw new IllegalArgumentException("Option '" + option + "' must not be empty (default: \"clusterix\").");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException("Option '" + option + "' is " + value.length()
                    + " characters long; at most " + maxLength + " are allowed: \"" + value.substring(0, 20) + "...\".");
        }
        if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
            throw new IllegalArgumentException("Option '" + option + "' = \"" + value + "\" contains '{' or '}'."
                    + " clusterix wraps it in a Redis Cluster hash tag, so braces would split the cluster's keys"
                    + " across slots. Remove the braces.");
        }
    }

    /** @return the key prefix */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** @return the cluster id, {@code ""} for the default cluster */
    public String clusterId() {
        return clusterId;
    }

    /** @return the hash tag, braces included, e.g. {@code {clusterix:orders}} */
    public String hashTag() {
        return hashTag;
    }

    /** @return the sorted set of heartbeats */
    public String heartbeats() {
        return all.get(0);
    }

    /** @return the hash of owning incarnations */
    public String owners() {
        return all.get(1);
    }

    /** @return the incarnation counter */
    public String incarnations() {
        return all.get(2);
    }

    /** @return the sorted set of claimed, not yet acknowledged deaths */
    public String claims() {
        return all.get(3);
    }

    /** @return the hash describing each claim */
    public String claimInfo() {
        return all.get(4);
    }

    /** @return the hash of server times used for outage grace, and the version of the last membership change */
    public String clock() {
        return all.get(5);
    }

    /** @return the sorted set of membership changes, by version */
    public String history() {
        return all.get(6);
    }

    /** @return the hash of the members' metadata */
    public String metadata() {
        return all.get(7);
    }

    /** @return all keys, in the order the Lua script takes them as {@code KEYS[1..8]} */
    public List<String> all() {
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterKeys other && other.hashTag.equals(hashTag);
    }

    @Override
    public int hashCode() {
        return hashTag.hashCode();
    }

    @Override
    public String toString() {
        return hashTag;
    }
}
