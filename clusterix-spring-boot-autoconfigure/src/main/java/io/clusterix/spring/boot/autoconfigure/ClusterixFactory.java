package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.Clusterix;
import io.clusterix.EvictionPolicy;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the auto-configured {@link Clusterix} from the {@code clusterix.*} properties, the application's names and
 * the customizers, and turns an option that clusterix rejects into the property to fix.
 */
final class ClusterixFactory {
    /** How clusterix's builder names the option it rejects. */
    private static final Pattern OPTION = Pattern.compile("Option '(\\w+)'");

    private ClusterixFactory() {
    }

    /**
     * @param redis       the client
     * @param properties  the properties
     * @param environment for spring.application.name and server.port
     * @param customizers applied last, in order
     * @return the node, not yet joined
     * @throws InvalidConfigurationPropertyValueException naming the {@code clusterix.*} property clusterix rejects
     * @throws IllegalStateException                      if no clusterix backend supports the client
     */
    static Clusterix build(ClusterixRedis redis, ClusterixProperties properties, Environment environment,
                           List<ClusterixBuilderCustomizer> customizers) {
        // Only what differs from clusterix's defaults is set: its error then blames the option the application
        // changed, not a default next to it.
        Clusterix.Builder builder = Clusterix.builder(redis.client()).leaveOnShutdown(properties.isLeaveOnShutdown())
                .metadata(properties.getMetadata());
        set(properties.getKeyPrefix(), Clusterix.DEFAULT_KEY_PREFIX, builder::keyPrefix);
        set(properties.getHeartbeatInterval(), Clusterix.DEFAULT_HEARTBEAT_INTERVAL, builder::heartbeatInterval);
        set(properties.getPollInterval(), Clusterix.DEFAULT_POLL_INTERVAL, builder::pollInterval);
        set(properties.getTimeout(), Clusterix.DEFAULT_TIMEOUT, builder::timeout);
        set(properties.getEvictionPolicy(), EvictionPolicy.REJOIN, builder::evictionPolicy);
        String application = environment.getProperty("spring.application.name");
        String id = properties.getId() != null ? properties.getId() : application;
        if (id != null) {
            builder.id(id);
        }
        String nodeId = properties.getNodeId() != null ? properties.getNodeId()
                : application == null ? null : defaultNodeId(application, environment);
        if (nodeId != null) {
            builder.nodeId(nodeId);
        }
        if (properties.getHandlerTimeout() != null) {
            builder.handlerTimeout(properties.getHandlerTimeout());
        }
        customizers.forEach(customizer -> customizer.customize(builder));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            Matcher option = OPTION.matcher(String.valueOf(e.getMessage()));
            if (!option.find()) {
                throw new IllegalStateException("clusterix could not be built from " + redis.source() + ": "
                        + e.getMessage(), e);
            }
            String name = option.group(1);
            String property = "clusterix." + kebab(name);
            // Its cause cannot be set (Spring Boot's constructor with a cause is not public): the reason carries
            // clusterix's whole message instead.
            throw new InvalidConfigurationPropertyValueException(property, value(name, properties, id, nodeId),
                    e.getMessage() + " Fix the property " + property + ".");
        }
    }

    private static <T> void set(T value, T defaultValue, Consumer<T> option) {
        if (!Objects.equals(value, defaultValue)) {
            option.accept(value);
        }
    }

    /**
     * @param application spring.application.name
     * @param environment for server.port
     * @return {@code application:host:port}, with the process id for a port that is unset or 0 (not known before
     *         the web server starts, after this node joined)
     */
    static String defaultNodeId(String application, Environment environment) {
        Integer port = environment.getProperty("server.port", Integer.class);
        String last = port != null && port > 0 ? Integer.toString(port) : Long.toString(ProcessHandle.current().pid());
        return application + ":" + host() + ":" + last;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String name = System.getenv("HOSTNAME");
            return name == null || name.isBlank() ? "localhost" : name;
        }
    }

    private static Object value(String option, ClusterixProperties properties, String id, String nodeId) {
        switch (option) {
            case "id":
                return id;
            case "nodeId":
                return nodeId;
            case "keyPrefix":
                return properties.getKeyPrefix();
            case "heartbeatInterval":
                return properties.getHeartbeatInterval();
            case "pollInterval":
                return properties.getPollInterval();
            case "timeout":
                return properties.getTimeout();
            case "handlerTimeout":
                return properties.getHandlerTimeout();
            case "metadata":
                return properties.getMetadata();
            default:
                return null;
        }
    }

    /** {@code heartbeatInterval} to {@code heartbeat-interval}, as Spring's relaxed binding names it. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
