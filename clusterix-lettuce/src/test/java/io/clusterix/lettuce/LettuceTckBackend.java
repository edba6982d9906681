package io.clusterix.lettuce;

import io.clusterix.tck.RedisEndpoint;
import io.clusterix.tck.TckBackend;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.nio.file.Path;
import java.util.List;

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
    public TestClient tlsClient(RedisEndpoint redis, Path truststore, String password) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(redis.host()).withPort(redis.port())
                .withSsl(true).build());
        client.setOptions(ClientOptions.builder()
                .sslOptions(SslOptions.builder().jdkSslProvider().truststore(truststore.toFile(), password).build())
                .build());
        return new TestClient("RedisClient (TLS)", client, client::shutdown);
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
}
