package io.clusterix.examples;

import io.clusterix.Clusterix;
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
     * @throws IOException if standard input fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("Usage: DemoNode <nodeId> <redis://host:port> <jedis|lettuce|redisson>");
            System.exit(2);
        }
        String nodeId = args[0];
        String url = args[1];
        // clusterix never closes the application's client: each branch closes its own.
        switch (args[2]) {
            case "jedis":
                try (RedisClient jedis = RedisClient.create(url)) {
                    runNode(nodeId, jedis);
                }
                break;
            case "lettuce":
                try (io.lettuce.core.RedisClient lettuce = io.lettuce.core.RedisClient.create(url)) {
                    runNode(nodeId, lettuce);
                }
                break;
            case "redisson":
                Config config = new Config();
                config.useSingleServer().setAddress(url);
                RedissonClient redisson = Redisson.create(config);
                try {
                    runNode(nodeId, redisson);
                } finally {
                    redisson.shutdown();
                }
                break;
            default:
                System.err.println("Unknown backend '" + args[2] + "': use jedis, lettuce or redisson");
                System.exit(2);
        }
    }

    /** The whole clusterix part of the demo; the backend is found from the client's type. */
    private static void runNode(String nodeId, Object redisClient) throws IOException {
        try (Clusterix cluster = Clusterix.builder(redisClient).nodeId(nodeId).build()) {
            cluster.onNodeDown(down ->
                    System.out.println(down.nodeId() + " is down, " + cluster.nodes().join() + " are still up"));
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
