package io.clusterix.spring.boot.autoconfigure;

import io.clusterix.MembershipEvent;
import io.clusterix.NodeDownEvent;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A whole Spring Boot application for the tests: every auto-configuration on the test class path (Spring Data Redis,
 * Actuator, Micrometer with Prometheus, Spring MVC, clusterix) and one component of its own with plain
 * {@code @EventListener} methods.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(OrdersTestApplication.Recorder.class)
class OrdersTestApplication {

    /** What the application's own listeners receive. */
    static class Recorder {
        final List<NodeDownEvent> downs = new CopyOnWriteArrayList<>();
        final List<MembershipEvent> changes = new CopyOnWriteArrayList<>();

        @EventListener
        void on(NodeDownEvent down) {
            downs.add(down);
        }

        @EventListener
        void on(MembershipEvent change) {
            changes.add(change);
        }

        boolean heard(MembershipEvent.Type type, String nodeId) {
            return changes.stream().anyMatch(c -> c.type() == type && c.member().nodeId().equals(nodeId));
        }
    }
}
