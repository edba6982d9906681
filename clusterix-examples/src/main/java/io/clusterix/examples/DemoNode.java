package io.clusterix.examples;

import io.clusterix.Clusterix;
import io.clusterix.Member;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.RedisClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/**
 * One node of the {@link Demo}, and the README's usage example: a process that joins the cluster and prints who is
 * down. It is a separate process, not a thread, because only a process can die the way production nodes do, by
 * SIGKILL, with no chance to say goodbye.
 *
 * <p>Usage: {@code DemoNode <nodeId> <redis://host:port> <jedis|lettuce|redisson>}. Prints {@code joined} once it is
 * a member, then runs until it reads {@code quit} or end of input: so a node whose parent dies exits too, and leaves
 * the cluster as a graceful node would.
 */
public final class DemoNode {

    private DemoNode() {
    }

    /**
     * @param args node id, Redis URL, backend
     * @throws Exception if standard input fails or the client cannot be created
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("Usage: DemoNode <nodeId> <redis://host:port> <jedis|lettuce|redisson>");
            System.exit(2);
        }
        String nodeId = args[0];
        if (!withClient(args[2], args[1], client -> runNode(nodeId, client))) {
            System.err.println("Unknown backend '" + args[2] + "': use jedis, lettuce or redisson");
            System.exit(2);
        }
    }

    /** What a program does with the Redis client it was given. */
    @FunctionalInterface
    public interface ClientUse {
        /**
         * @param client a Jedis {@code RedisClient}, a Lettuce {@code RedisClient} or a {@code RedissonClient}
         * @throws Exception whatever the use throws
         */
        void accept(Object client) throws Exception;
    }

    /**
     * Creates the application's client of one backend for a Redis URL, the way an application would, hands it to
     * {@code use}, and closes it afterwards: clusterix never closes the application's client. The chaos suite's node
     * starts its clients with this too.
     *
     * @param backend {@code jedis}, {@code lettuce} or {@code redisson}
     * @param url     {@code redis://host:port}
     * @param use     what to do with the client
     * @return false (and nothing done) for an unknown backend
     * @throws Exception whatever {@code use} throws
     */
    public static boolean withClient(String backend, String url, ClientUse use) throws Exception {
        switch (backend) {
            case "jedis":
                try (RedisClient jedis = RedisClient.create(url)) {
                    use.accept(jedis);
                }
                return true;
            case "lettuce":
                try (io.lettuce.core.RedisClient lettuce = io.lettuce.core.RedisClient.create(url)) {
                    use.accept(lettuce);
                }
                return true;
            case "redisson":
                Config config = new Config();
                config.useSingleServer().setAddress(url);
                RedissonClient redisson = Redisson.create(config);
                try {
                    use.accept(redisson);
                } finally {
                    redisson.shutdown();
                }
                return true;
            default:
                return false;
        }
    }

    /** The whole clusterix part of the demo; the backend is found from the client's type. */
    private static void runNode(String nodeId, Object redisClient) throws IOException {
        try (Clusterix cluster = Clusterix.builder(redisClient).nodeId(nodeId).build()) {
            cluster.onNodeDown(down ->
                    System.out.println(down.nodeId() + " is down, " + cluster.nodes().join() + " are still up"));
            // News for every member, where a node-down is a duty for one: each change this node applies, in order.
            cluster.onMembershipChanged(change -> System.out.println("view " + change.version() + ": " + change.type()
                    + " " + change.member().nodeId() + ", leader "
                    + change.view().leader().map(Member::nodeId).orElse("none")));
            cluster.initializeNode().join();
            System.out.println("joined");
            awaitQuit();
        } // close(): leave the cluster, so that one other node hears "node down" at its next poll
    }

    private static void awaitQuit() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.trim().equals("quit")) {
                return;
            }
        }
    }
}
