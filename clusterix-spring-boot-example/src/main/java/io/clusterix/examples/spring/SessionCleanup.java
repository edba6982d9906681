package io.clusterix.examples.spring;

import io.clusterix.NodeDownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cleans up after an instance that crashed or left: one surviving instance gets each death (another one only if it
 * dies before this method returns), so the cleanup runs once per death, at least once. A real application would
 * delete the dead instance's sessions, locks or leases here, keyed by {@link NodeDownEvent#idempotencyKey()}.
 */
@Component
public class SessionCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCleanup.class);

    private final List<NodeDownEvent> cleaned = new CopyOnWriteArrayList<>();

    /** @param down the instance that is gone */
    @EventListener
    public void on(NodeDownEvent down) {
        LOG.info("{} is down ({}): cleaning up its sessions, once ({})", down.nodeId(), down.reason(),
                down.idempotencyKey());
        cleaned.add(down);
    }

    /** @return the deaths this instance cleaned up after */
    public List<NodeDownEvent> cleaned() {
        return List.copyOf(cleaned);
    }
}
