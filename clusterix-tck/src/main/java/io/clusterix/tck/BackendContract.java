package io.clusterix.tck;

import io.clusterix.ClusterKeys;
import io.clusterix.fixture.RedisEndpoint;
import io.clusterix.fixture.RedisFixture;
import io.clusterix.fixture.RedisTopology;
import io.clusterix.fixture.RespCommands;
import io.clusterix.fixture.RespConnection;
import io.clusterix.fixture.RoutingRespConnection;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What both contracts share: the Redis, one client of the backend per test class, a unique key prefix per test and a
 * raw connection to look at Redis directly. Subclasses are the contracts; a backend subclasses those.
 *
 * <p>The same test methods run against every {@link RedisTopology.Kind kind of deployment}: a standalone server by
 * default, or the shared Sentinel or Cluster deployment of {@link RedisFixture} when a backend's subclass overrides
 * {@link #topology()}. A case that cannot apply to a topology is aborted with a reason (reported as skipped).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
    /** The standalone Redis under test; under Sentinel or Cluster, the first seed of {@link #deployment}. */
    protected RedisEndpoint redis;
    /** The deployment under test: how the backend's clients reach it. */
    protected RedisTopology deployment;
    /**
     * Raw connections to it, independent of the backend: to the one server, or under Sentinel or Cluster to the
     * server each command belongs to (see {@link RoutingRespConnection}).
     */
    protected RespCommands resp;
    /** The backend's client for this test class; {@code client.client()} is the object to hand to clusterix. */
    protected TckBackend.TestClient client;
    /** A key prefix no other test uses. */
    protected String prefix;

    private final List<AutoCloseable> perTest = new ArrayList<>();

    /** @return the backend under test */
    protected abstract TckBackend backend();

    /**
     * @return the kind of deployment this class runs against: {@link RedisTopology.Kind#STANDALONE} unless a
     *         subclass says otherwise
     */
    protected RedisTopology.Kind topology() {
        return RedisTopology.Kind.STANDALONE;
    }

    @BeforeAll
    void startRedisAndClient() {
        deployment = RedisFixture.topology(topology());
        if (deployment.kind() == RedisTopology.Kind.STANDALONE) {
            redis = deployment.endpoint();
            resp = new RespConnection(redis);
            client = backend().client(redis);
        } else {
            redis = deployment.seeds().get(0);
            resp = new RoutingRespConnection(deployment);
            client = backend().client(deployment);
        }
    }

    /**
     * Aborts the calling test (reported as skipped) unless it runs against a standalone server.
     *
     * @param why why the case applies to a standalone server only
     */
    protected void assumeStandalone(String why) {
        org.junit.jupiter.api.Assumptions.assumeTrue(deployment.kind() == RedisTopology.Kind.STANDALONE,
                () -> "not under " + deployment.kind() + ": " + why);
    }

    @AfterAll
    void closeClient() {
        if (client != null) {
            client.close();
        }
        if (resp != null) {
            resp.close();
        }
    }

    @BeforeEach
    void uniquePrefix() {
        prefix = "tck-" + backend().name() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closePerTest() throws Exception {
        for (int i = perTest.size() - 1; i >= 0; i--) {
            perTest.get(i).close();
        }
        perTest.clear();
    }

    /**
     * Closes the resource after the current test.
     *
     * @param resource the resource
     * @param <T>      its type
     * @return the resource
     */
    protected <T extends AutoCloseable> T closeAfterTest(T resource) {
        perTest.add(resource);
        return resource;
    }

    /**
     * @param id the cluster id
     * @return the keys of that cluster under this test's prefix
     */
    protected ClusterKeys keys(String id) {
        return ClusterKeys.of(prefix, id);
    }

    /**
     * @param clientObject a client of the backend
     * @return a store for it, made by the backend's provider found with ServiceLoader, closed after the test
     */
    protected HeartbeatStore storeFor(Object clientObject) {
        List<HeartbeatStoreProvider> providers = new ArrayList<>();
        ServiceLoader.load(HeartbeatStoreProvider.class).forEach(providers::add);
        HeartbeatStoreProvider provider = providers.stream().filter(p -> p.name().equals(backend().name()))
                .findFirst().orElseThrow(() -> new AssertionError("ServiceLoader found no provider named '"
                        + backend().name() + "', only " + providers.stream().map(HeartbeatStoreProvider::name)
                        .collect(Collectors.toList())));
        return closeAfterTest(provider.create(clientObject));
    }

    /**
     * @return every key in Redis that starts with this test's prefix (inside its hash tag or not)
     */
    @SuppressWarnings("unchecked")
    protected List<String> keysOfThisTest() {
        List<Object> found = new ArrayList<>();
        // Under Cluster, KEYS goes to every master (RoutingRespConnection).
        found.addAll((List<Object>) resp.call("KEYS", "*" + prefix + "*"));
        return found.stream().map(Object::toString).sorted().collect(Collectors.toList());
    }
}
