package io.clusterix.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Graceful leaves at JVM shutdown, as Hazelcast's {@code hazelcast.shutdownhook.enabled} gives: one shutdown hook for
 * the whole JVM, added with the first member that asks for it. When the JVM stops (SIGTERM, Ctrl-C,
 * {@code System.exit}), the hook starts the leave of every registered member at once and waits until all of them
 * are done; each leave bounds its own wait (the member's {@code timeout}), so the hook does too.
 */
public final class ShutdownLeaves {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownLeaves.class);
    private static final Map<Long, Supplier<CompletableFuture<?>>> LEAVES = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static boolean hooked;

    private ShutdownLeaves() {
    }

    /**
     * @param leave starts one member's graceful leave (and its disposal) and returns a future that completes, within a
     *              bound of its own, when it is done
     * @return closes the registration (the member was disposed); idempotent
     */
    public static AutoCloseable register(Supplier<CompletableFuture<?>> leave) {
        long id = IDS.incrementAndGet();
        LEAVES.put(id, leave);
        hook();
        return () -> LEAVES.remove(id);
    }

    private static synchronized void hook() {
        if (hooked) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ShutdownLeaves::leaveAll, "clusterix-shutdown"));
            hooked = true;
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already stopping: nothing can be hooked any more, and the member will time out.
        }
    }

    private static void leaveAll() {
        List<CompletableFuture<?>> leaving = new ArrayList<>();
        for (Supplier<CompletableFuture<?>> leave : LEAVES.values()) {
            try {
                leaving.add(leave.get());
            } catch (RuntimeException e) {
                LOG.warn("A clusterix member could not start its leave at JVM shutdown: {}", e.toString());
            }
        }
        if (!leaving.isEmpty()) {
            LOG.info("JVM shutdown: {} clusterix member(s) leave their clusters", leaving.size());
            CompletableFuture.allOf(leaving.toArray(new CompletableFuture<?>[0])).exceptionally(e -> null).join();
        }
    }
}
