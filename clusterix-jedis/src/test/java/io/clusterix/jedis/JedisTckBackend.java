package io.clusterix.jedis;

import io.clusterix.tck.RedisEndpoint;
import io.clusterix.tck.TckBackend;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.SslOptions;

import java.nio.file.Path;

import java.util.List;

/** The Jedis clients the TCK runs with. */
final class JedisTckBackend implements TckBackend {
    @Override
    public String name() {
        return "jedis";
    }

    @Override
    public String backendPackage() {
        return "io.clusterix.jedis";
    }

    @Override
    public TestClient client(RedisEndpoint redis) {
        RedisClient client = RedisClient.create(redis.uri());
        return new TestClient("RedisClient", client, client::close);
    }

    @Override
    public TestClient tlsClient(RedisEndpoint redis, Path truststore, String password) {
        SslOptions ssl = SslOptions.builder().truststore(truststore.toFile(), password.toCharArray()).build();
        RedisClient client = RedisClient.builder().hostAndPort(redis.host(), redis.port())
                .clientConfig(DefaultJedisClientConfig.builder().ssl(true).sslOptions(ssl).build()).build();
        return new TestClient("RedisClient (TLS)", client, client::close);
    }

    @Override
    public List<TestClient> everyClientKind(RedisEndpoint redis) {
        JedisPool pool = new JedisPool(java.net.URI.create(redis.uri()));
        return List.of(client(redis), new TestClient("JedisPool", pool, pool::close));
    }
}
