package io.clusterix.internal;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import io.clusterix.spi.ScriptedHeartbeatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionStage;

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
    static final class QueueStore extends ScriptedHeartbeatStore {
        @Override
        protected CompletionStage<?> evalSha(String sha1, List<String> keys, List<String> args) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected CompletionStage<?> eval(String script, List<String> keys, List<String> args) {
            throw new UnsupportedOperationException();
        }
    }
}
