package io.clusterix.lettuce;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.TckBackend;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** The Lettuce clients the TCK runs with. */
final class LettuceTckBackend implements TckBackend {
    @Override
    public String name() {
        return "lettuce";
    }

    @Override
    public String backendPackage() {
        return "io.clusterix.lettuce";
    }

    @Override
    public TestClient client(RedisEndpoint redis) {
        RedisClient client = RedisClient.create(redis.uri());
        return new TestClient("RedisClient", client, client::shutdown);
    }

    @Override
    public TestClient client(RedisTopology topology) {
        switch (topology.kind()) {
            case CLUSTER: {
                RedisClusterClient client = clusterClient(topology);
                return new TestClient("RedisClusterClient", client, client::shutdown);
            }
            case SENTINEL: {
                RedisClient client = RedisClient.create(sentinelUri(topology));
                return new TestClient("RedisClient (redis-sentinel://)", client, client::shutdown);
            }
            default:
                return client(topology.endpoint());
        }
    }

    /**
     * A cluster client that follows failovers as an application should configure it: the slot map is refreshed when
     * Redis answers MOVED/ASK or a connection keeps failing, and every few seconds.
     */
    private static RedisClusterClient clusterClient(RedisTopology topology) {
        List<RedisURI> seeds = topology.seeds().stream().map(seed -> {
            RedisURI.Builder uri = RedisURI.Builder.redis(seed.host(), seed.port());
            if (topology.password() != null) {
                uri.withAuthentication(topology.username(), topology.password());
            }
            return uri.build();
        }).collect(Collectors.toList());
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                .enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(Duration.ofSeconds(2)).build()).build());
        return client;
    }

    /** {@code redis-sentinel://[user:password@]host1:port1,host2:port2,...#masterName}. */
    private static String sentinelUri(RedisTopology topology) {
        String auth = topology.password() == null ? "" : encode(topology.username() == null ? ""
                : topology.username()) + ":" + encode(topology.password()) + "@";
        return "redis-sentinel://" + auth + topology.seeds().stream().map(s -> s.host() + ":" + s.port())
                .collect(Collectors.joining(",")) + "#" + topology.masterName();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public TestClient tlsClient(RedisEndpoint redis, Path truststore, String password) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(redis.host()).withPort(redis.port())
                .withSsl(true).build());
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder().jdkSslProvider().truststore(truststore.toFile(), password).build())
                .build());
        return new TestClient("RedisClient (TLS)", client, client::shutdown);
    }

    @Override
    public List<NearMiss> nearMisses(RedisEndpoint redis) {
        RedisClient forConnections = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = forConnections.connect();
        AutoCloseable close = () -> {
            connection.close();
            forConnections.shutdown();
        };
        return List.of(new NearMiss(new TestClient("sync()", connection.sync(), close),
                        "pass the StatefulRedisConnection it came from"),
                new NearMiss(new TestClient("async()", connection.async(), () -> { }),
                        "pass the StatefulRedisConnection it came from"));
    }

    @Override
    public List<TestClient> everyClientKind(RedisEndpoint redis) {
        RedisClient forConnections = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> strings = forConnections.connect();
        // A connection with a codec other than String: the backend must not assume the application's codec.
        StatefulRedisConnection<byte[], byte[]> bytes = forConnections.connect(ByteArrayCodec.INSTANCE);
        return List.of(client(redis), new TestClient("StatefulRedisConnection<String,String>", strings, strings::close),
                new TestClient("StatefulRedisConnection<byte[],byte[]>", bytes, () -> {
                    bytes.close();
                    forConnections.shutdown();
                }));
    }

    @Override
    public List<TestClient> everyClientKind(RedisTopology topology) {
        switch (topology.kind()) {
            case CLUSTER: {
                RedisClusterClient forConnections = clusterClient(topology);
                StatefulRedisClusterConnection<String, String> strings = forConnections.connect();
                StatefulRedisClusterConnection<byte[], byte[]> bytes = forConnections.connect(ByteArrayCodec.INSTANCE);
                return List.of(client(topology),
                        new TestClient("StatefulRedisClusterConnection<String,String>", strings, strings::close),
                        new TestClient("StatefulRedisClusterConnection<byte[],byte[]>", bytes, () -> {
                            bytes.close();
                            forConnections.shutdown();
                        }));
            }
            case SENTINEL: {
                RedisClient forConnections = RedisClient.create(sentinelUri(topology));
                StatefulRedisConnection<String, String> strings = forConnections.connect();
                StatefulRedisConnection<byte[], byte[]> bytes = forConnections.connect(ByteArrayCodec.INSTANCE);
                return List.of(client(topology),
                        new TestClient("StatefulRedisConnection<String,String> (Sentinel)", strings, strings::close),
                        new TestClient("StatefulRedisConnection<byte[],byte[]> (Sentinel)", bytes, () -> {
                            bytes.close();
                            forConnections.shutdown();
                        }));
            }
            default:
                return everyClientKind(topology.endpoint());
        }
    }
}
