package io.clusterix.internal;

import io.clusterix.spi.HeartbeatStore;
import io.clusterix.spi.HeartbeatStoreProvider;
import io.clusterix.spi.ScriptedHeartbeatStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discovery through the real ServiceLoader, with this module's test services file: one provider that fails to load,
 * one that loads but whose client library is missing (as {@code clusterix-jedis} without Jedis), and one that
 * supports {@link ArrayDeque} "clients" (a stand-in client type: discovery never talks to Redis). The same case with
 * the real backends, in a separate JVM without the Jedis jar, is in {@code clusterix-snippets}.
 */
class ProvidersTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(HeartbeatStoreProvider.PROVIDER_PROPERTY);
    }

    @Test
    void aProviderThatFailsToLoadIsSkippedAndTheOthersAreFound() {
        List<HeartbeatStoreProvider> all = Providers.all();

        assertEquals(List.of("nolib", "queue"), all.stream().map(HeartbeatStoreProvider::name).toList());
        assertInstanceOf(QueueStore.class, Providers.storeFor(new ArrayDeque<>()));
    }

    @Test
    void aBackendWhoseClientLibraryIsMissingIsNamedInTheErrorAndNeverThrowsALinkageError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Providers.storeFor(new StringBuilder()));

        assertTrue(e.getMessage().contains("nolib (unusable: io.example:clusterix-nolib is on the class path but"
                + " NoLib (io.example:nolib) is not (NoClassDefFoundError: io/example/nolib/Client)"), e.getMessage());
        assertTrue(e.getMessage().contains("queue (java.util.ArrayDeque)"), e.getMessage());
    }

    @Test
    void aNearMissGetsTheHintOfTheProviderWhoseLibraryItBelongsTo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Providers.storeFor(new LinkedList<>()));

        assertTrue(e.getMessage().startsWith("No clusterix backend supports a Redis client of class"
                + " java.util.LinkedList. A LinkedList is not a queue client: pass an ArrayDeque instead."),
                e.getMessage());
    }

    @Test
    void aProxyIsNamedByTheInterfacesItImplements() {
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Runnable.class},
                (self, method, args) -> null);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Providers.storeFor(proxy));

        assertTrue(e.getMessage().contains("(a proxy implementing java.lang.Runnable)"), e.getMessage());
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

    /** Loads, but every method that touches the client library fails, as clusterix-jedis without Jedis does. */
    public static final class NoLibraryProvider implements HeartbeatStoreProvider {
        @Override
        public String name() {
            return "nolib";
        }

        @Override
        public String artifact() {
            return "io.example:clusterix-nolib";
        }

        @Override
        public String clientLibrary() {
            return "NoLib (io.example:nolib)";
        }

        @Override
        public String supportedClients() {
            throw new NoClassDefFoundError("io/example/nolib/Client");
        }

        @Override
        public boolean supports(Object client) {
            throw new NoClassDefFoundError("io/example/nolib/Client");
        }

        @Override
        public Optional<String> hint(Object client) {
            throw new NoClassDefFoundError("io/example/nolib/Client");
        }

        @Override
        public HeartbeatStore create(Object client) {
            throw new NoClassDefFoundError("io/example/nolib/Client");
        }
    }

    /** Supports ArrayDeque objects; a LinkedList is its near miss. */
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
        public Optional<String> hint(Object client) {
            return client instanceof LinkedList ? Optional.of("A LinkedList is not a queue client: pass an ArrayDeque"
                    + " instead.") : Optional.empty();
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
