package io.clusterix.tck;

import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisTopology;

import java.util.List;

/**
 * What a backend module gives the TCK: how to make its Redis clients. One small implementation per backend, shared by
 * that backend's subclasses of {@link HeartbeatStoreContract} and {@link ClusterixContract}.
 */
public interface TckBackend {

    /** @return the backend's provider name, e.g. {@code "jedis"} */
    String name();

    /**
     * @return the package of the backend's classes, e.g. {@code "io.clusterix.jedis"}
     */
    String backendPackage();

    /**
     * @param redis the server
     * @return a new client of the backend's most common kind, connected to {@code redis}
     */
    TestClient client(RedisEndpoint redis);

    /**
     * @param redis the server
     * @return one new client of every kind the backend's provider accepts (e.g. Jedis {@code RedisClient} and
     *         {@code JedisPool}); the TCK closes them
     */
    List<TestClient> everyClientKind(RedisEndpoint redis);

    /**
     * A client for a deployment of any kind. A backend that runs the Sentinel and Cluster suites overrides this with
     * its clients for those topologies (for Cluster, one that follows slot moves and failovers within a few seconds;
     * for Sentinel, one that asks the Sentinels for the master and follows a failover); the default serves only a
     * standalone server, and aborts the calling test (reported as skipped) for the others.
     *
     * @param topology the deployment, with the credentials for its data nodes
     * @return a new client of the backend's most common kind for that topology
     */
    default TestClient client(RedisTopology topology) {
        if (topology.kind() == RedisTopology.Kind.STANDALONE) {
            return client(topology.endpoint());
        }
        org.junit.jupiter.api.Assumptions.abort("the " + name() + " TckBackend makes no " + topology.kind()
                + " client");
        throw new AssertionError("unreachable");
    }

    /**
     * @param topology the deployment
     * @return one new client of every kind the backend's provider accepts for that topology (e.g. Jedis
     *         {@code RedisClusterClient} and {@code JedisCluster}); the TCK closes them. The default serves only a
     *         standalone server, like {@link #client(RedisTopology)}.
     */
    default List<TestClient> everyClientKind(RedisTopology topology) {
        if (topology.kind() == RedisTopology.Kind.STANDALONE) {
            return everyClientKind(topology.endpoint());
        }
        org.junit.jupiter.api.Assumptions.abort("the " + name() + " TckBackend makes no " + topology.kind()
                + " clients");
        throw new AssertionError("unreachable");
    }

    /**
     * @param redis      a server that accepts only TLS, with a certificate for 127.0.0.1
     * @param truststore a PKCS12 trust store with the CA of that certificate
     * @param password   the trust store's password
     * @return a new client of the backend's most common kind that connects with TLS and verifies the server
     */
    TestClient tlsClient(RedisEndpoint redis, java.nio.file.Path truststore, String password);

    /**
     * Objects of the backend's client library that its provider does not accept but that a user may well pass: a
     * single Jedis connection, the {@code sync()} view of a Lettuce connection, Redisson's reactive client. The TCK
     * checks that each is rejected with a hint of what to pass instead, and closes them.
     *
     * @param redis the server, for near misses that need a connection to exist
     * @return at least one near miss, each with words its hint must contain
     */
    List<NearMiss> nearMisses(RedisEndpoint redis);

    /**
     * A client object the backend rejects, and what its hint must say.
     *
     * @param client the object, and how to release it
     * @param advice words the error message must contain, naming what to pass instead
     */
    record NearMiss(TestClient client, String advice) {
    }

    /**
     * A client object and how to release it.
     *
     * @param kind    a readable name, e.g. {@code "JedisPool"}
     * @param client  the object handed to {@code Clusterix.builder(Object)}
     * @param cleanup closes the client and whatever was made to build it
     */
    record TestClient(String kind, Object client, AutoCloseable cleanup) implements AutoCloseable {
        @Override
        public void close() {
            try {
                cleanup.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing test client " + kind + " failed", e);
            }
        }
    }
}
