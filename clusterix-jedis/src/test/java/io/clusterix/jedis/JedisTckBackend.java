package io.clusterix.jedis;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisTopology;
import io.clusterix.tck.TckBackend;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
    public TestClient client(RedisTopology topology) {
        switch (topology.kind()) {
            case CLUSTER: {
                RedisClusterClient client = RedisClusterClient.builder().nodes(hostsAndPorts(topology))
                        .clientConfig(dataNodes(topology)).build();
                return new TestClient("RedisClusterClient", client, client::close);
            }
            case SENTINEL: {
                // The Sentinels have no user of their own here; the credentials are the data nodes'.
                RedisSentinelClient client = RedisSentinelClient.builder().masterName(topology.masterName())
                        .sentinels(hostsAndPorts(topology)).clientConfig(dataNodes(topology))
                        .sentinelClientConfig(DefaultJedisClientConfig.builder().build()).build();
                return new TestClient("RedisSentinelClient", client, client::close);
            }
            default:
                return client(topology.endpoint());
        }
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

    @Override
    public List<TestClient> everyClientKind(RedisTopology topology) {
        switch (topology.kind()) {
            case CLUSTER: {
                JedisCluster cluster = new JedisCluster(hostsAndPorts(topology), dataNodes(topology));
                return List.of(client(topology), new TestClient("JedisCluster", cluster, cluster::close));
            }
            case SENTINEL: {
                JedisSentinelPool pool = new JedisSentinelPool(topology.masterName(), hostsAndPorts(topology),
                        dataNodes(topology), DefaultJedisClientConfig.builder().build());
                return List.of(client(topology), new TestClient("JedisSentinelPool", pool, pool::close));
            }
            default:
                return everyClientKind(topology.endpoint());
        }
    }

    @Override
    public List<NearMiss> nearMisses(RedisEndpoint redis) {
        Jedis single = new Jedis(redis.host(), redis.port());
        return List.of(new NearMiss(new TestClient("Jedis", single, single::close), "pass a RedisClient"));
    }

    private static Set<HostAndPort> hostsAndPorts(RedisTopology topology) {
        Set<HostAndPort> seeds = new LinkedHashSet<>();
        topology.seeds().forEach(seed -> seeds.add(new HostAndPort(seed.host(), seed.port())));
        return seeds;
    }

    private static JedisClientConfig dataNodes(RedisTopology topology) {
        return DefaultJedisClientConfig.builder().user(topology.username()).password(topology.password()).build();
    }
}
