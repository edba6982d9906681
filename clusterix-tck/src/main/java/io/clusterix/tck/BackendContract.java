package io.clusterix.tck;

import io.clusterix.spi.ClusterKeys;
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
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
    /** The Redis under test. */
    protected RedisEndpoint redis;
    /** A raw connection to it, independent of the backend. */
    protected RespConnection resp;
    /** The backend's client for this test class; {@code client.client()} is the object to hand to clusterix. */
    protected TckBackend.TestClient client;
    /** A key prefix no other test uses. */
    protected String prefix;

    private final List<AutoCloseable> perTest = new ArrayList<>();

    /** @return the backend under test */
    protected abstract TckBackend backend();

    @BeforeAll
    void startRedisAndClient() {
        redis = RedisFixture.redis();
        resp = new RespConnection(redis);
        client = backend().client(redis);
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
        found.addAll((List<Object>) resp.call("KEYS", "*" + prefix + "*"));
        return found.stream().map(Object::toString).sorted().collect(Collectors.toList());
    }
}
