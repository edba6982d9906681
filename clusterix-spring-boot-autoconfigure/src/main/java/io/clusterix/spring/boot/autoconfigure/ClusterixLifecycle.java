package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.ClusterixException;
import io.clusterix.DuplicateNodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Joins the cluster when the application context starts and leaves it gracefully ({@link Clusterix#close()}) when
 * the context stops. Its {@link #PHASE} puts the join before the web server starts and the leave after the web
 * server stopped taking requests (and after graceful shutdown let the running ones finish), while the Redis client
 * beans still run: the node stays a member for as long as it serves, and survivors hear {@code LEFT} at their next
 * poll. A failed join fails the start with clusterix's message and the settings to fix, unless
 * {@code clusterix.fail-on-join-error=false}.
 */
public final class ClusterixLifecycle implements SmartLifecycle {
    /**
     * {@code SmartLifecycle.DEFAULT_PHASE - 3072}: below Spring Boot's web server phases ({@code DEFAULT_PHASE -
     * 1024} for graceful shutdown, {@code DEFAULT_PHASE - 2048} for start and stop, in
     * {@code WebServerApplicationContext}), so this starts before them and stops after them; above the phase of
     * Spring Data Redis' connection factories, which stop after this.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterixLifecycle.class);

    private final Clusterix cluster;
    private final ClusterixState state;
    private final ClusterixRedis redis;
    private final boolean failOnJoinError;
    private volatile boolean running;

    /**
     * @param cluster         the node
     * @param state           told when it joins, fails to, and stops
     * @param redis           where its client came from, for the error message
     * @param failOnJoinError whether a failed join fails the start
     */
    public ClusterixLifecycle(Clusterix cluster, ClusterixState state, ClusterixRedis redis, boolean failOnJoinError) {
        this.cluster = cluster;
        this.state = state;
        this.redis = redis;
        this.failOnJoinError = failOnJoinError;
    }

    @Override
    public void start() {
        state.joining();
        try {
            cluster.initializeNode().get(); // bounded by clusterix: max(timeout, 10 s)
            running = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.stopped("interrupted while joining");
            throw new ClusterixException("Interrupted while node '" + cluster.nodeId() + "' joined cluster "
                    + cluster.keys() + " at application start", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            ClusterixJoinException failure = joinFailed(cause);
            state.stopped("the join failed: " + cause.getMessage());
            if (failOnJoinError) {
                throw failure;
            }
            LOG.warn("{} Starting without it (clusterix.fail-on-join-error=false): this node is not a member and its"
                    + " clusterix health is DOWN until the application restarts.", failure.description());
            running = true; // so that stop() disposes it
        }
    }

    private ClusterixJoinException joinFailed(Throwable cause) {
        String fix = cause instanceof DuplicateNodeException
                ? "Give every running instance its own clusterix.node-id (by default spring.application.name, the"
                + " host and server.port)."
                : "clusterix uses " + redis.source() + ": check " + redis.settings() + " (host, port, username,"
                + " password, ssl).";
        return new ClusterixJoinException("clusterix could not join cluster " + cluster.keys() + " as node '"
                + cluster.nodeId() + "' at application start: " + cause.getMessage(), fix
                + " Or set clusterix.fail-on-join-error=false to start without joining.", cause);
    }

    @Override
    public void stop() {
        running = false;
        state.stopped("stopped: the application context is closing");
        cluster.close(); // leaves within timeout, then disposes; a no-op leave for a node that never joined
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
