package io.clusterix.redisson;

import io.clusterix.tck.RedisEndpoint;
import io.clusterix.tck.TckBackend;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.List;

/** The Redisson clients the TCK runs with. */
final class RedissonTckBackend implements TckBackend {
    @Override
    public String name() {
        return "redisson";
    }

    @Override
    public String backendPackage() {
        return "io.clusterix.redisson";
    }

    @Override
    public TestClient client(RedisEndpoint redis) {
        Config config = new Config();
        // Lazy: like Jedis and Lettuce clients, creating one needs no reachable server (the TCK checks what
        // initializeNode() says when Redis is unreachable or refuses the password).
        config.setLazyInitialization(true);
        config.useSingleServer().setAddress("redis://" + redis.host() + ":" + redis.port())
                .setUsername(redis.username()).setPassword(redis.password()).setRetryAttempts(1);
        RedissonClient client = Redisson.create(config);
        return new TestClient("RedissonClient", client, client::shutdown);
    }

    @Override
    public TestClient tlsClient(RedisEndpoint redis, Path truststore, String password) {
        Config config = new Config();
        try {
            config.useSingleServer().setAddress("rediss://" + redis.host() + ":" + redis.port())
                    .setSslTruststore(truststore.toUri().toURL()).setSslTruststorePassword(password);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(truststore.toString(), e);
        }
        RedissonClient client = Redisson.create(config);
        return new TestClient("RedissonClient (TLS)", client, client::shutdown);
    }

    @Override
    public List<TestClient> everyClientKind(RedisEndpoint redis) {
        return List.of(client(redis));
    }
}
