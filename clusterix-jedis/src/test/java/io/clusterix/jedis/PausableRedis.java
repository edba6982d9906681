package io.clusterix.jedis;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisServerProcess;
import io.clusterix.fixture.RespConnection;

/**
 * A Redis server whose writes a test can hold: {@code CLIENT PAUSE WRITE} leaves every client's writes and scripts
 * ({@code INCR}, {@code EVALSHA}) unanswered until {@code CLIENT UNPAUSE}, while {@code INFO}, {@code CLIENT LIST},
 * {@code CLUSTER SLOTS} and the unpause itself still run (Redis 6.2 and later).
 */
final class PausableRedis implements AutoCloseable {
    /** A bound on a pause if a test dies before it resumes Redis; no test waits for it. */
    private static final String PAUSE_LIMIT_MILLIS = "60000";

    private final RedisServerProcess owned;
    private final RedisEndpoint endpoint;
    private final RespConnection admin;

    private PausableRedis(RedisServerProcess owned, RedisEndpoint endpoint) {
        this.owned = owned;
        this.endpoint = endpoint;
        this.admin = new RespConnection(endpoint);
    }

    /** @return a redis-server process of its own, so that its command counts are the test's alone */
    static PausableRedis start() {
        RedisServerProcess server = RedisServerProcess.start();
        return new PausableRedis(server, server.endpoint());
    }

    /**
     * @param server a server someone else started and stops, e.g. a master of the shared Redis Cluster
     * @return that server, paused and inspected through a connection of the test's own
     */
    static PausableRedis of(RedisEndpoint server) {
        return new PausableRedis(null, server);
    }

    RedisEndpoint endpoint() {
        return endpoint;
    }

    /** Holds every client's writes and scripts unanswered until {@link #resume()}. */
    void pauseWrites() {
        admin.call("CLIENT", "PAUSE", PAUSE_LIMIT_MILLIS, "WRITE");
    }

    void resume() {
        admin.call("CLIENT", "UNPAUSE");
    }

    /**
     * @param command a command in lower case, e.g. {@code evalsha}
     * @return how many times Redis executed it ({@code INFO commandstats}); a command held by a pause is not counted
     */
    long executed(String command) {
        String prefix = "cmdstat_" + command + ":calls=";
        return admin.string("INFO", "commandstats").lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Long.parseLong(l.substring(prefix.length(), l.indexOf(',')))).orElse(0L);
    }

    /**
     * @param command a command in lower case, e.g. {@code evalsha}
     * @return the connections whose {@code command} Redis holds now ({@code CLIENT LIST}: {@code flags=b}, blocked
     *         by the pause)
     */
    long held(String command) {
        return admin.string("CLIENT", "LIST").lines()
                .filter(l -> l.contains(" flags=b ") && l.contains(" cmd=" + command + " ")).count();
    }

    /**
     * @param name a client name
     * @return the connections open under that name ({@code CLIENT LIST})
     */
    long connectionsNamed(String name) {
        return admin.string("CLIENT", "LIST").lines().filter(l -> l.contains(" name=" + name + " ")).count();
    }

    /** @return the test's own connection, e.g. to load a script */
    RespConnection admin() {
        return admin;
    }

    /** Resumes Redis, and stops it if it was started here. */
    @Override
    public void close() {
        try {
            resume();
        } finally {
            admin.close();
            if (owned != null) {
                owned.close();
            }
        }
    }
}
