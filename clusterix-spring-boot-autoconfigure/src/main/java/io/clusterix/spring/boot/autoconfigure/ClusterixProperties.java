package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.EvictionPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code clusterix.*} properties: every option of {@code Clusterix.Builder}, plus what the Spring integration
 * adds ({@code enabled}, {@code fail-on-join-error}). An option left unset keeps clusterix's default, except
 * {@code id} and {@code node-id}, which default to names taken from the application (see {@link #getId()} and
 * {@link #getNodeId()}), and {@code leave-on-shutdown}, which is off because the application context closes the
 * node in order.
 */
@ConfigurationProperties("clusterix")
public class ClusterixProperties {
    /** Whether to build, join and publish the clusterix node of this application. */
    private boolean enabled = true;

    /**
     * Cluster id: applications with the same key prefix and id form one cluster. At most 128 characters, no braces.
     * Default: spring.application.name, or "" (the default cluster) when that is not set.
     */
    private String id;

    /**
     * This node's id, unique in the cluster (up to 256 characters). Default: spring.application.name, the host name
     * and server.port ("orders:host1:8080"), with the process id instead of the port when server.port is unset or
     * 0; without spring.application.name, clusterix's own default (host name and PORT or pid).
     */
    private String nodeId;

    /** First part of every Redis key of clusterix. At most 128 characters, no braces. */
    private String keyPrefix = "clusterix";

    /** How often this node writes its heartbeat; shorter than the timeout. */
    private Duration heartbeatInterval = Duration.ofMillis(500);

    /** How often this node looks for dead nodes. */
    private Duration pollInterval = Duration.ofMillis(500);

    /**
     * How long after its last heartbeat (by Redis server time) a node is down; also the longest wait for one Redis
     * reply.
     */
    private Duration timeout = Duration.ofMillis(1000);

    /**
     * Longest run of the node-down listeners (and @EventListener methods) of one death before it is handed to a
     * survivor again; longer than the timeout. Default: 30 s, or twice the timeout if that is longer.
     */
    private Duration handlerTimeout;

    /** What this node does after it learned it was declared dead: rejoin as a new incarnation, or stop. */
    private EvictionPolicy evictionPolicy = EvictionPolicy.REJOIN;

    /**
     * Whether clusterix's own JVM shutdown hook also leaves the cluster. Off: the application context leaves when it
     * closes, after the web server stopped taking requests; the hook would leave earlier, while requests still run.
     */
    private boolean leaveOnShutdown = false;

    /**
     * Whether a failed join (Redis unreachable, credentials refused, a live node with the same id) fails the
     * application start. When false, the application starts without joining, and the clusterix health is DOWN.
     */
    private boolean failOnJoinError = true;

    /** What this member publishes to every member's view (e.g. host, port, zone); at most 4,096 bytes in all. */
    private Map<String, String> metadata = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getHandlerTimeout() {
        return handlerTimeout;
    }

    public void setHandlerTimeout(Duration handlerTimeout) {
        this.handlerTimeout = handlerTimeout;
    }

    public EvictionPolicy getEvictionPolicy() {
        return evictionPolicy;
    }

    public void setEvictionPolicy(EvictionPolicy evictionPolicy) {
        this.evictionPolicy = evictionPolicy;
    }

    public boolean isLeaveOnShutdown() {
        return leaveOnShutdown;
    }

    public void setLeaveOnShutdown(boolean leaveOnShutdown) {
        this.leaveOnShutdown = leaveOnShutdown;
    }

    public boolean isFailOnJoinError() {
        return failOnJoinError;
    }

    public void setFailOnJoinError(boolean failOnJoinError) {
        this.failOnJoinError = failOnJoinError;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }
}
