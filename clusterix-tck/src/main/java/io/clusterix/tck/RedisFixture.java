package io.clusterix.tck;

import java.lang.reflect.Method;

/**
 * The one Redis every test of a JVM shares, found or started once:
 * <ol>
 *   <li>{@value #URL_ENV}{@code =redis://[[user]:password@]host:port}: use that running server;</li>
 *   <li>{@value #TESTCONTAINERS_ENV}{@code =true}: a {@code redis} container, if a Docker engine answers;</li>
 *   <li>otherwise: a {@code redis-server} process on a free loopback port ({@link RedisServerProcess}), from
 *       {@value RedisServerProcess#SERVER_ENV} or the binary inside {@code embedded-redis}.</li>
 * </ol>
 * Each variable may also be given as a system property of the same name. Tests isolate themselves with unique key
 * prefixes and never flush the server.
 */
public final class RedisFixture {
    /** Environment variable with the URL of an external server. */
    public static final String URL_ENV = "CLUSTERIX_REDIS_URL";
    /** Environment variable that opts into Testcontainers. */
    public static final String TESTCONTAINERS_ENV = "CLUSTERIX_REDIS_TESTCONTAINERS";

    private static RedisEndpoint shared;
    private static String description;
    private static LocalRedisCluster sharedCluster;
    private static LocalRedisSentinel sharedSentinel;

    private RedisFixture() {
    }

    /**
     * @return the shared Redis, started on first use and stopped when the JVM exits
     */
    public static synchronized RedisEndpoint redis() {
        if (shared == null) {
            String url = setting(URL_ENV);
            String where;
            if (url != null) {
                shared = RedisEndpoint.parse(url);
                where = "external, " + URL_ENV;
            } else if ("true".equalsIgnoreCase(setting(TESTCONTAINERS_ENV))) {
                shared = testcontainers();
                where = "Testcontainers";
            } else {
                RedisServerProcess server = RedisServerProcess.start();
                shared = server.endpoint();
                where = "pid " + server.process().pid() + ", binary " + RedisServerProcess.binary();
            }
            description = "redis-server " + version(shared) + " at " + shared + " (" + where + ")";
            System.out.println("[clusterix-tck] using " + description);
        }
        return shared;
    }

    /**
     * @param redis a server
     * @return the version it reports ({@code redis_version} of {@code INFO server}), or {@code ?}
     */
    public static String version(RedisEndpoint redis) {
        try (RespConnection connection = new RespConnection(redis)) {
            String info = connection.string("INFO", "server");
            return info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                    .map(l -> l.substring("redis_version:".length()).strip()).orElse("?");
        }
    }

    /**
     * @param kind a kind of deployment
     * @return the shared deployment of that kind, started on first use and stopped when the JVM exits: {@link
     *         #redis()}, {@link #cluster()} or {@link #sentinel()}
     */
    public static RedisTopology topology(RedisTopology.Kind kind) {
        switch (kind) {
            case STANDALONE:
                return RedisTopology.standalone(redis());
            case CLUSTER:
                return cluster().topology();
            case SENTINEL:
                return sentinel().topology();
            default:
                throw new IllegalArgumentException(String.valueOf(kind));
        }
    }

    /**
     * The Redis Cluster every Cluster test of a JVM shares: three masters and three replicas of the binary {@link
     * RedisServerProcess#binary()} names, started on first use. Its {@code cluster-node-timeout} is 5 s, long enough
     * that a busy test machine causes no failover; failover tests start clusters of their own.
     *
     * @return the shared cluster
     */
    public static synchronized LocalRedisCluster cluster() {
        if (sharedCluster == null) {
            sharedCluster = LocalRedisCluster.start(3, java.time.Duration.ofSeconds(5));
            Runtime.getRuntime().addShutdownHook(new Thread(sharedCluster::close, "clusterix-redis-cluster-stop"));
            System.out.println("[clusterix-tck] using " + sharedCluster + ", binary " + RedisServerProcess.binary());
        }
        return sharedCluster;
    }

    /**
     * The Sentinel deployment every Sentinel test of a JVM shares: a master, a replica and three Sentinels of the
     * binary {@link RedisServerProcess#binary()} names, started on first use. {@code down-after-milliseconds} is 5 s,
     * longer than the TCK's {@code CLIENT PAUSE}, so that no test causes a failover; failover tests start deployments
     * of their own.
     *
     * @return the shared deployment
     */
    public static synchronized LocalRedisSentinel sentinel() {
        if (sharedSentinel == null) {
            sharedSentinel = LocalRedisSentinel.start(java.time.Duration.ofSeconds(5));
            Runtime.getRuntime().addShutdownHook(new Thread(sharedSentinel::close, "clusterix-redis-sentinel-stop"));
            System.out.println("[clusterix-tck] using " + sharedSentinel + ", binary " + RedisServerProcess.binary());
        }
        return sharedSentinel;
    }

    /** @return what {@link #redis()} uses, with the server's version */
    public static synchronized String description() {
        redis();
        return description;
    }

    static String setting(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? null : value.trim();
    }

    // Reflection keeps Testcontainers an optional dependency: it is touched only when asked for.
    private static RedisEndpoint testcontainers() {
        try {
            Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory");
            Object instance = factory.getMethod("instance").invoke(null);
            if (!(Boolean) factory.getMethod("isDockerAvailable").invoke(instance)) {
                throw new IllegalStateException(TESTCONTAINERS_ENV + "=true but no Docker engine answers; unset it to"
                        + " use the embedded redis-server");
            }
            Class<?> containerClass = Class.forName("org.testcontainers.containers.GenericContainer");
            Object container = containerClass.getConstructor(String.class).newInstance("redis:7");
            containerClass.getMethod("withExposedPorts", Integer[].class).invoke(container,
                    (Object) new Integer[] {6379});
            containerClass.getMethod("start").invoke(container);
            String host = (String) containerClass.getMethod("getHost").invoke(container);
            Method mapped = containerClass.getMethod("getMappedPort", int.class);
            return RedisEndpoint.of(host, (Integer) mapped.invoke(container, 6379));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException(TESTCONTAINERS_ENV + "=true but Testcontainers is not usable: " + e
                    + ". Add org.testcontainers:testcontainers to the test class path or unset the variable.", e);
        }
    }
}
