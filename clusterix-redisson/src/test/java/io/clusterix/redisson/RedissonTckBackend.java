package io.clusterix.redisson;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.TckBackend;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.SentinelServersConfig;

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
    public TestClient client(RedisTopology topology) {
        Config config = new Config();
        config.setLazyInitialization(true);
        switch (topology.kind()) {
            case CLUSTER: {
                // scanInterval: how often Redisson reads the slot map; a failover is noticed within it.
                ClusterServersConfig cluster = config.useClusterServers().setScanInterval(1000).setRetryAttempts(1)
                        .setUsername(topology.username()).setPassword(topology.password());
                topology.seeds().forEach(seed -> cluster.addNodeAddress("redis://" + seed.host() + ":" + seed.port()));
                break;
            }
            case SENTINEL: {
                SentinelServersConfig sentinel = config.useSentinelServers().setMasterName(topology.masterName())
                        .setScanInterval(1000).setRetryAttempts(1)
                        .setUsername(topology.username()).setPassword(topology.password());
                topology.seeds().forEach(seed -> sentinel.addSentinelAddress("redis://" + seed.host() + ":"
                        + seed.port()));
                break;
            }
            default:
                return client(topology.endpoint());
        }
        RedissonClient client = Redisson.create(config);
        return new TestClient("RedissonClient (" + topology.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " servers)", client, client::shutdown);
    }

    @Override
    public List<TestClient> everyClientKind(RedisTopology topology) {
        return List.of(client(topology));
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

    @Override
    public List<NearMiss> nearMisses(RedisEndpoint redis) {
        TestClient client = client(redis);
        RedissonClient redisson = (RedissonClient) client.client();
        return List.of(new NearMiss(new TestClient("RedissonReactiveClient", redisson.reactive(), client),
                "pass the RedissonClient it came from"));
    }
}
