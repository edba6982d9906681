package io.clusterix.cli;

import io.clusterix.ClusterKeys;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;

/**
 * How every command reaches the cluster: one of {@code --redis-url}, {@code --sentinel} with {@code --master}, or
 * {@code --cluster}; the cluster's {@code --key-prefix} and {@code --id}; the password also from the environment
 * variable {@value #PASSWORD_ENV}, so that it appears neither in the shell history nor in {@code ps}.
 */
final class ConnectionOptions {
    /** Environment variable with the Redis password (of the data nodes). */
    static final String PASSWORD_ENV = "CLUSTERIX_REDIS_PASSWORD";

    @Option(names = "--redis-url", paramLabel = "URL", description = "redis://[user[:password]@]host:port or"
            + " rediss://... (TLS); default redis://127.0.0.1:6379 when neither --sentinel nor --cluster is given")
    String redisUrl;

    @Option(names = "--sentinel", paramLabel = "HOST:PORT", split = ",",
            description = "the Sentinels, comma separated; with --master")
    List<String> sentinels;

    @Option(names = "--master", paramLabel = "NAME", description = "the name the Sentinels monitor the master under")
    String master;

    @Option(names = "--cluster", paramLabel = "HOST:PORT", split = ",",
            description = "seed nodes of a Redis Cluster, comma separated")
    List<String> clusterNodes;

    @Option(names = "--user", paramLabel = "USER", description = "ACL user of the data nodes (also in --redis-url)")
    String user;

    @Option(names = "--key-prefix", paramLabel = "PREFIX", defaultValue = "clusterix",
            description = "the cluster's keyPrefix (default: ${DEFAULT-VALUE})")
    String keyPrefix;

    @Option(names = "--id", paramLabel = "ID", defaultValue = "", description = "the cluster id (default: \"\")")
    String id;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "1000",
            description = "the cluster's timeout in ms, which tells live from stale (default: ${DEFAULT-VALUE})")
    long timeoutMillis;

    @Option(names = "--command-timeout", paramLabel = "MS", defaultValue = "3000",
            description = "how long to wait to connect and for each reply, in ms (default: ${DEFAULT-VALUE})")
    long commandTimeoutMillis;

    /** @return the cluster's keys; the error names the option */
    ClusterKeys keys() {
        try {
            return ClusterKeys.of(keyPrefix, id);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, e.getMessage().replace("Option 'keyPrefix'", "--key-prefix")
                    .replace("Option 'id'", "--id"), e);
        }
    }

    /** @return the cluster's timeout */
    Duration timeout() {
        if (timeoutMillis <= 0) {
            throw new CliException(2, "--timeout must be a positive number of milliseconds, was " + timeoutMillis);
        }
        return Duration.ofMillis(timeoutMillis);
    }

    Duration commandTimeout() {
        return Duration.ofMillis(Math.max(1, commandTimeoutMillis));
    }
}
