package io.clusterix.cli;

import io.clusterix.ClusterKeys;
import io.clusterix.lettuce.LettuceHeartbeatStore;
import io.clusterix.spi.ScriptedHeartbeatStore;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The tool's one Lettuce connection to the cluster's Redis, whatever the topology: commands on the cluster's keys
 * go to the server that holds them (on Redis Cluster, the master of their slot), and so do the commands that ask
 * that server about itself (TIME, INFO). Owns the client and closes it.
 */
final class RedisConnection implements AutoCloseable {
    /** How the tool reaches Redis. */
    enum Mode { STANDALONE, SENTINEL, CLUSTER }

    private final Mode mode;
    private final String where;
    private final String user;
    private final ClusterKeys keys;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;
    private final RedisClusterCommands<String, String> keyServer;
    private final String keyServerAddress;
    private final int slot;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private RedisConnection(Mode mode, String where, String user, ClusterKeys keys, AbstractRedisClient client,
                            StatefulConnection<String, String> connection, RedisClusterCommands<String, String> commands,
                            RedisClusterCommands<String, String> keyServer, String keyServerAddress, int slot) {
        this.mode = mode;
        this.where = where;
        this.user = user;
        this.keys = keys;
        this.client = client;
        this.connection = connection;
        this.commands = commands;
        this.keyServer = keyServer;
        this.keyServerAddress = keyServerAddress;
        this.slot = slot;
    }

    /**
     * Connects as the options say.
     *
     * @param options the connection options
     * @param env     the environment, for {@value ConnectionOptions#PASSWORD_ENV}
     * @return the connection
     * @throws CliException with exit status 2 for contradicting options, {@link CliException#UNREACHABLE} when Redis
     *                      cannot be reached or refuses the credentials
     */
    static RedisConnection open(ConnectionOptions options, Map<String, String> env) {
        int given = (options.redisUrl != null ? 1 : 0) + (options.sentinels != null ? 1 : 0)
                + (options.clusterNodes != null ? 1 : 0);
        if (given > 1) {
            throw new CliException(2, "Give one of --redis-url, --sentinel or --cluster, not " + given + ".");
        }
        if (options.sentinels != null && (options.master == null || options.master.isBlank())) {
            throw new CliException(2, "--sentinel needs --master NAME: the name the Sentinels monitor the master"
                    + " under (SENTINEL MASTERS lists them).");
        }
        ClusterKeys keys = options.keys();
        String password = env.get(ConnectionOptions.PASSWORD_ENV);
        Duration timeout = options.commandTimeout();
        if (options.clusterNodes != null) {
            return openCluster(options, keys, password, timeout);
        }
        RedisURI uri;
        String where;
        Mode mode;
        if (options.sentinels != null) {
            List<HostPort> sentinels = options.sentinels.stream().map(s -> HostPort.parse("--sentinel", s))
                    .collect(Collectors.toList());
            RedisURI.Builder builder = RedisURI.Builder.sentinel(sentinels.get(0).host(), sentinels.get(0).port(),
                    options.master);
            sentinels.stream().skip(1).forEach(s -> builder.withSentinel(s.host(), s.port()));
            uri = builder.build();
            mode = Mode.SENTINEL;
            where = "master '" + options.master + "' via Sentinels " + options.sentinels;
        } else {
            String url = options.redisUrl == null ? "redis://127.0.0.1:6379" : options.redisUrl;
            try {
                uri = RedisURI.create(url);
            } catch (IllegalArgumentException e) {
                throw new CliException(2, "--redis-url is not a redis:// or rediss:// URL: " + e.getMessage(), e);
            }
            mode = Mode.STANDALONE;
            where = (uri.isSsl() ? "rediss://" : "redis://") + uri.getHost() + ":" + uri.getPort();
        }
        RedisCredentials inUrl = uri.getCredentialsProvider() == null ? null
                : uri.getCredentialsProvider().resolveCredentials().block();
        String user = options.user != null ? options.user : inUrl != null && inUrl.hasUsername()
                ? inUrl.getUsername() : null;
        char[] secret = password != null ? password.toCharArray() : inUrl != null && inUrl.hasPassword()
                ? inUrl.getPassword() : null;
        if (secret != null) {
            uri.setAuthentication(user, secret);
        }
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        String described = where + (user != null ? " (user " + user + ")" : "");
        try {
            StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
            return new RedisConnection(mode, described, user, keys, client, connection, connection.sync(),
                    connection.sync(), mode == Mode.SENTINEL ? sentinelMaster(client, uri)
                    : where.substring(where.indexOf("//") + 2), -1);
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw Failures.connecting(described, e);
        }
    }

    private static RedisConnection openCluster(ConnectionOptions options, ClusterKeys keys, String password,
                                               Duration timeout) {
        List<RedisURI> seeds = options.clusterNodes.stream().map(s -> {
            HostPort seed = HostPort.parse("--cluster", s);
            RedisURI.Builder uri = RedisURI.Builder.redis(seed.host(), seed.port()).withTimeout(timeout);
            if (password != null) {
                uri.withAuthentication(options.user, password);
            }
            return uri.build();
        }).collect(Collectors.toList());
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        String where = "Redis Cluster via " + options.clusterNodes
                + (options.user != null ? " (user " + options.user + ")" : "");
        try {
            StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8);
            int slot = SlotHash.getSlot(keys.heartbeats());
            RedisClusterNode master = connection.getPartitions().getMasterBySlot(slot);
            if (master == null) {
                throw new CliException(CliException.FAILED, "No master serves slot " + slot + " of " + keys
                        + ": the Redis Cluster is not fully set up (CLUSTER SLOTS); fix the cluster first.");
            }
            return new RedisConnection(Mode.CLUSTER, where, options.user, keys, client, connection, connection.sync(),
                    connection.getConnection(master.getNodeId()).sync(),
                    master.getUri().getHost() + ":" + master.getUri().getPort(), slot);
        } catch (CliException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw Failures.connecting(where, e);
        }
    }

    /** Where the Sentinels say the master is, for doctor: asked of the first Sentinel that answers. */
    private static String sentinelMaster(RedisClient client, RedisURI uri) {
        for (RedisURI sentinel : uri.getSentinels()) {
            try (var connection = client.connectSentinel(StringCodec.UTF8, sentinel)) {
                java.net.SocketAddress address = connection.sync().getMasterAddrByName(uri.getSentinelMasterId());
                if (address instanceof java.net.InetSocketAddress inet) {
                    return inet.getHostString() + ":" + inet.getPort();
                }
            } catch (RuntimeException e) {
                // the next Sentinel may answer
            }
        }
        return "(no Sentinel named the master)";
    }

    /** @return how the tool reaches Redis */
    Mode mode() {
        return mode;
    }

    /** @return where, for messages: the address or the Sentinels or the seeds, and the user; never the password */
    String where() {
        return where;
    }

    /** @return the ACL user the tool connected as, or null for the default user */
    String user() {
        return user;
    }

    /** @return the cluster's keys */
    ClusterKeys keys() {
        return keys;
    }

    /** @return commands on the cluster's keys, routed to the server that holds them */
    RedisClusterCommands<String, String> commands() {
        return commands;
    }

    /** @return commands on the server that holds the cluster's keys (its master on Redis Cluster) */
    RedisClusterCommands<String, String> keyServer() {
        return keyServer;
    }

    /** @return host:port of the server that holds the keys, as far as known */
    String keyServerAddress() {
        return keyServerAddress;
    }

    /** @return the hash slot of the cluster's keys on Redis Cluster, else -1 */
    int slot() {
        return slot;
    }

    /**
     * Sends any command; an argument that starts with the cluster's hash tag is sent as a key, so that Redis Cluster
     * routes the command to the keys' master.
     *
     * @param command the command, e.g. {@code "HGET"}
     * @param args    its arguments
     * @return the reply as a list (one element for a simple reply)
     */
    List<Object> call(String command, String... args) {
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args) {
            if (arg.startsWith(keys.hashTag())) {
                commandArgs.addKey(arg);
            } else {
                commandArgs.add(arg);
            }
        }
        RedisClusterCommands<String, String> target = commandArgs.getFirstEncodedKey() == null ? keyServer : commands;
        return target.dispatch(CommandType.valueOf(command.toUpperCase(Locale.ROOT)),
                new NestedMultiOutput<>(StringCodec.UTF8), commandArgs);
    }

    /** @return a clusterix store over this connection, for the script's operations (evict, nodes) */
    ScriptedHeartbeatStore store() {
        if (connection instanceof StatefulRedisClusterConnection<String, String> cluster) {
            return new LettuceHeartbeatStore(cluster);
        }
        return new LettuceHeartbeatStore((StatefulRedisConnection<String, String>) connection);
    }

    /** Closes the connection and the client; again, does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connection.close();
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** A host and port from an option. */
    record HostPort(String host, int port) {
        static HostPort parse(String option, String text) {
            int colon = text.lastIndexOf(':');
            try {
                return new HostPort(text.substring(0, colon).strip(), Integer.parseInt(text.substring(colon + 1)
                        .strip()));
            } catch (RuntimeException e) {
                throw new CliException(2, option + " takes host:port[,host:port...]; '" + text + "' is none.", e);
            }
        }
    }
}
