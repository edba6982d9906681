package io.clusterix.internal;

import io.clusterix.spi.ClusterKeys;
import io.clusterix.spi.HeartbeatResult;
import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import io.clusterix.spi.JoinResult;
import io.clusterix.NodeDownEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery through the real ServiceLoader, with this module's test services file: one provider that fails to load
 * and one that supports {@link ArrayDeque} "clients" (a stand-in client type: discovery never talks to Redis).
 */
class ProvidersTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(HeartbeatStoreProvider.PROVIDER_PROPERTY);
    }

    @Test
    void aProviderThatFailsToLoadIsSkippedAndTheOthersAreFound() {
        List<HeartbeatStoreProvider> all = Providers.all();

        assertEquals(List.of("queue"), all.stream().map(HeartbeatStoreProvider::name).toList());
        assertInstanceOf(QueueStore.class, Providers.storeFor(new ArrayDeque<>()));
    }

    @Test
    void anUnsupportedClientNamesItsClassTheProvidersFoundAndTheArtifacts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Providers.storeFor(new StringBuilder()));

        assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
        assertTrue(e.getMessage().contains("queue (java.util.ArrayDeque)"), e.getMessage());
        assertTrue(e.getMessage().contains("io.clusterix:clusterix-jedis"), e.getMessage());
        assertTrue(e.getMessage().contains("io.clusterix:clusterix-lettuce"), e.getMessage());
        assertTrue(e.getMessage().contains("io.clusterix:clusterix-redisson"), e.getMessage());
    }

    @Test
    void theSystemPropertySelectsAProviderAndAnUnknownNameIsExplained() {
        System.setProperty(HeartbeatStoreProvider.PROVIDER_PROPERTY, "queue");
        assertInstanceOf(QueueStore.class, Providers.storeFor(new ArrayDeque<>()));

        System.setProperty(HeartbeatStoreProvider.PROVIDER_PROPERTY, "nonesuch");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Providers.storeFor(new ArrayDeque<>()));
        assertTrue(e.getMessage().contains("clusterix.provider=nonesuch"), e.getMessage());
    }

    /** Fails in its constructor, as a backend whose client library is missing does. */
    public static final class BrokenProvider extends QueueProvider {
        public BrokenProvider() {
            throw new NoClassDefFoundError("redis/clients/jedis/UnifiedJedis");
        }
    }

    /** Supports ArrayDeque objects. */
    public static class QueueProvider implements HeartbeatStoreProvider {
        @Override
        public String name() {
            return "queue";
        }

        @Override
        public String supportedClients() {
            return "java.util.ArrayDeque";
        }

        @Override
        public boolean supports(Object client) {
            return client instanceof ArrayDeque;
        }

        @Override
        public HeartbeatStore create(Object client) {
            return new QueueStore();
        }
    }

    /** Never called: discovery only creates it. */
    static final class QueueStore implements HeartbeatStore {
        @Override
        public CompletableFuture<JoinResult> join(ClusterKeys keys, String nodeId, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<HeartbeatResult> heartbeat(ClusterKeys keys, String nodeId, long incarnation,
                                                            Duration timeout, int reapLimit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<List<NodeDownEvent>> poll(ClusterKeys keys, Duration timeout, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Set<String>> nodes(ClusterKeys keys, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> leave(ClusterKeys keys, String nodeId, long incarnation) {
            throw new UnsupportedOperationException();
        }
    }
}
