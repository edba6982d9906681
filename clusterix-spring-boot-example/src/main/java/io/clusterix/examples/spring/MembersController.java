package io.clusterix.examples.spring;

import io.clusterix.Clusterix;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** {@code GET /members}: the live instances, oldest first, from this instance's view (no Redis call). */
@RestController
public class MembersController {
    private final Clusterix cluster;

    /** @param cluster the auto-configured node */
    public MembersController(Clusterix cluster) {
        this.cluster = cluster;
    }

    /** @return the members, with their metadata, and who leads */
    @GetMapping("/members")
    public Map<String, Object> members() {
        List<Map<String, Object>> members = cluster.view().members().stream()
                .map(m -> Map.<String, Object>of("node", m.nodeId(), "metadata", m.metadata())).toList();
        return Map.of("self", cluster.nodeId(), "leader", cluster.view().leader().map(m -> m.nodeId()).orElse(""),
                "members", members);
    }
}
