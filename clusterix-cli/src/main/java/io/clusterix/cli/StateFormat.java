package io.clusterix.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A {@link ClusterState} as a table for people and as the JSON object that scripts and the dashboard read. */
final class StateFormat {
    private StateFormat() {
    }

    /** @return the members table, then the claimed deaths, under a one-line summary */
    static String table(ClusterState state, String where) {
        long now = state.serverTime();
        StringBuilder out = new StringBuilder();
        out.append("cluster ").append(state.keys()).append(" at ").append(where).append(": ")
                .append(state.count(ClusterState.Status.LIVE)).append(" live, ")
                .append(state.count(ClusterState.Status.STALE)).append(" stale, ")
                .append(state.count(ClusterState.Status.LEFT)).append(" left; version ").append(state.version())
                .append("; timeout ").append(state.timeout()).append(" ms\n");
        if (state.members().isEmpty()) {
            out.append("no members\n");
        } else {
            TextTable members = new TextTable("NODE", "INCARNATION", "STATE", "HEARTBEAT AGE", "LEADER", "METADATA");
            for (ClusterState.Member m : state.members()) {
                members.row(m.nodeId(), m.incarnation(), m.status(), m.age(now) < 0 ? "-" : m.age(now) + " ms",
                        m.leader() ? "*" : "", m.metadata().entrySet().stream().map(e -> e.getKey() + "="
                                + e.getValue()).collect(Collectors.joining(", ")));
            }
            out.append(members);
        }
        if (!state.claims().isEmpty()) {
            out.append("\ndeaths being handled (claimed):\n");
            TextTable claims = new TextTable("NODE", "INCARNATION", "REASON", "DELIVERY", "CLAIMER", "RENEWED");
            for (ClusterState.Claim c : state.claims()) {
                long ago = Math.max(0, now - c.renewed());
                claims.row(c.nodeId(), c.incarnation(), c.reason(), c.delivery(), c.claimer(), c.renewed() == 0
                        ? "never: the next poll hands it out" : ago + " ms ago" + (ago > state.timeout()
                        ? " (lapsed: the next poll hands it on)" : ""));
            }
            out.append(claims);
        }
        return out.toString();
    }

    /** @return the state as a JSON-ready map */
    static Map<String, Object> json(ClusterState state) {
        long now = state.serverTime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", state.keys().hashTag());
        out.put("keyPrefix", state.keys().keyPrefix());
        out.put("id", state.keys().clusterId());
        out.put("serverTime", now);
        out.put("version", state.version());
        out.put("timeoutMs", state.timeout());
        out.put("leader", state.leader().orElse(null));
        List<Object> members = new ArrayList<>();
        for (ClusterState.Member m : state.members()) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("nodeId", m.nodeId());
            member.put("incarnation", m.incarnation());
            member.put("state", m.status().name());
            member.put("lastHeartbeat", m.lastHeartbeat());
            member.put("ageMs", m.age(now));
            member.put("leader", m.leader());
            member.put("metadata", m.metadata());
            members.add(member);
        }
        out.put("members", members);
        List<Object> claims = new ArrayList<>();
        for (ClusterState.Claim c : state.claims()) {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("nodeId", c.nodeId());
            claim.put("incarnation", c.incarnation());
            claim.put("reason", c.reason());
            claim.put("delivery", c.delivery());
            claim.put("claimer", c.claimer());
            claim.put("renewedAgoMs", c.renewed() == 0 ? -1 : Math.max(0, now - c.renewed()));
            claims.add(claim);
        }
        out.put("claims", claims);
        return out;
    }

    /** @return a change as a JSON-ready map */
    static Map<String, Object> json(History.Change change) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", change.version());
        out.put("type", change.type());
        out.put("nodeId", change.nodeId());
        out.put("incarnation", change.incarnation());
        out.put("time", change.time());
        out.put("leader", change.leader());
        return out;
    }
}
