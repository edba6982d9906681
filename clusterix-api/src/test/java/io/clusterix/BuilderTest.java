package io.clusterix;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What build() does before any Redis call; the ArrayDeque "client" is served by ProvidersTest's test provider. */
class BuilderTest {

    @Test
    void theDefaultNodeIdIsLookedUpOnlyWhenNoNodeIdIsGiven() {
        AtomicInteger lookups = new AtomicInteger();

        Clusterix named = Clusterix.builder(new ArrayDeque<>()).defaultNodeId(() -> {
            lookups.incrementAndGet();
            return "host:1";
        }).nodeId("given").build();
        Clusterix unnamed = Clusterix.builder(new ArrayDeque<>()).defaultNodeId(() -> {
            lookups.incrementAndGet();
            return "host:1";
        }).build();

        assertEquals("given", named.nodeId());
        assertEquals("host:1", unnamed.nodeId());
        assertEquals(1, lookups.get(), "a host-name lookup may take a DNS round trip: only for the builder without a"
                + " node id");
        named.dispose();
        unnamed.dispose();
    }
}
