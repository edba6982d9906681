package io.clusterix.tck;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How a Redis deployment is reached: what a {@link TckBackend} needs to build a client for it. One standalone server;
 * a master watched by Sentinels (the client asks the Sentinels where the master is); or a Redis Cluster (the client
 * discovers the slots from any seed node).
 *
 * @param kind       standalone, Sentinel or Cluster
 * @param seeds      standalone: the server; Sentinel: the Sentinels; Cluster: some or all of its nodes
 * @param masterName the name the Sentinels monitor the master under; null unless {@link Kind#SENTINEL}
 * @param username   ACL user for the data nodes (masters and replicas, never the Sentinels), or null for the default
 * @param password   password for the data nodes, or null for none
 */
public record RedisTopology(Kind kind, List<RedisEndpoint> seeds, String masterName, String username,
                            String password) {

    /** The kinds of deployment the TCK runs against. */
    public enum Kind {
        /** One server; {@link RedisFixture#redis()} by default. */
        STANDALONE,
        /** A master and its replica, watched by three Sentinels ({@link LocalRedisSentinel}). */
        SENTINEL,
        /** A Redis Cluster of three masters and three replicas ({@link LocalRedisCluster}). */
        CLUSTER
    }

    /**
     * @throws IllegalArgumentException if there is no seed, or a Sentinel topology has no master name
     */
    public RedisTopology {
        Objects.requireNonNull(kind, "kind");
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a " + kind + " topology needs at least one seed endpoint");
        }
        if (kind == Kind.SENTINEL && (masterName == null || masterName.isEmpty())) {
            throw new IllegalArgumentException("a Sentinel topology needs the master name the Sentinels monitor");
        }
        if (kind == Kind.STANDALONE && seeds.size() != 1) {
            throw new IllegalArgumentException("a standalone topology has exactly one server, not " + seeds);
        }
    }

    /**
     * @param server the server, with its credentials
     * @return a standalone topology
     */
    public static RedisTopology standalone(RedisEndpoint server) {
        return new RedisTopology(Kind.STANDALONE, List.of(server), null, server.username(), server.password());
    }

    /**
     * @param masterName the name the Sentinels monitor the master under
     * @param sentinels  the Sentinels
     * @return a Sentinel topology without credentials
     */
    public static RedisTopology sentinel(String masterName, List<RedisEndpoint> sentinels) {
        return new RedisTopology(Kind.SENTINEL, sentinels, masterName, null, null);
    }

    /**
     * @param nodes seed nodes of the cluster
     * @return a Cluster topology without credentials
     */
    public static RedisTopology cluster(List<RedisEndpoint> nodes) {
        return new RedisTopology(Kind.CLUSTER, nodes, null, null, null);
    }

    /** @return the one server of a standalone topology, with the credentials */
    public RedisEndpoint endpoint() {
        if (kind != Kind.STANDALONE) {
            throw new IllegalStateException("a " + kind + " topology has no single endpoint: use seeds()");
        }
        return seeds.get(0).withCredentials(username, password);
    }

    /**
     * @param user     ACL user of the data nodes, or null for the default user
     * @param password its password
     * @return this topology with other credentials for the data nodes (Sentinels keep theirs: none)
     */
    public RedisTopology withCredentials(String user, String password) {
        List<RedisEndpoint> withThem = kind == Kind.STANDALONE
                ? List.of(seeds.get(0).withCredentials(user, password)) : seeds;
        return new RedisTopology(kind, withThem, masterName, user, password);
    }

    /**
     * @return a topology of the same kind whose every seed is a free loopback port where nothing listens
     */
    public RedisTopology unreachable() {
        List<RedisEndpoint> nowhere = seeds.stream().map(s -> RedisEndpoint.of("127.0.0.1",
                RedisServerProcess.freePort())).collect(Collectors.toList());
        return new RedisTopology(kind, nowhere, masterName, username, password);
    }

    @Override
    public String toString() {
        return kind + (masterName != null ? " '" + masterName + "'" : "") + " via " + seeds
                + (username != null ? " (user " + username + ")" : "");
    }
}
