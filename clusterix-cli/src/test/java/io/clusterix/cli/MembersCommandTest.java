package io.clusterix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterix.Clusterix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembersCommandTest extends CliTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void listsTheLiveMembersWithTheLeaderMetadataAndADeathBeingHandled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Clusterix> survivors = new ArrayList<>();
        for (String id : List.of("alpha", "beta", "gamma")) {
            Clusterix node = joined(builder(id).metadata(Map.of("zone", "eu-" + id)));
            // Whoever claims the death stays in its listener: the claim is visible meanwhile.
            node.onNodeDown(down -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            survivors.add(node);
        }
        Clusterix victim = joined("victim");
        long victimIncarnation = victim.incarnation();
        try {
            victim.dispose();
            await().atMost(PATIENCE).until(() -> resp.integer("ZCARD", victim.keys().claims()) == 1);

            Result table = cli("members");
            assertEquals(0, table.status(), table.err());
            assertTrue(table.out().contains("3 live, 0 stale, 0 left"), table.out());
            assertTrue(table.out().matches("(?s).*\\balpha\\s+" + survivors.get(0).incarnation()
                    + "\\s+LIVE\\s+\\d+ ms\\s+\\*\\s+zone=eu-alpha.*"), table.out());
            assertTrue(table.out().contains("deaths being handled"), table.out());
            assertTrue(table.out().matches("(?s).*\\bvictim\\s+" + victimIncarnation
                    + "\\s+TIMED_OUT\\s+1\\s+(alpha|beta|gamma)\\s+\\d+ ms ago.*"), table.out());

            Result machine = cli("members", "--json");
            assertEquals(0, machine.status(), machine.err());
            JsonNode state = json.readTree(machine.out());
            assertEquals("{" + prefix + "}", state.get("cluster").asText());
            assertEquals("alpha", state.get("leader").asText());
            assertEquals(TIMEOUT_MS, state.get("timeoutMs").asLong());
            assertEquals(3, state.get("members").size());
            for (int i = 0; i < 3; i++) {
                JsonNode member = state.get("members").get(i);
                assertEquals(survivors.get(i).nodeId(), member.get("nodeId").asText());
                assertEquals(survivors.get(i).incarnation(), member.get("incarnation").asLong());
                assertEquals("LIVE", member.get("state").asText());
                assertTrue(member.get("ageMs").asLong() <= TIMEOUT_MS, member.toString());
                assertEquals(i == 0, member.get("leader").asBoolean());
                assertEquals("eu-" + survivors.get(i).nodeId(), member.get("metadata").get("zone").asText());
            }
            JsonNode claim = state.get("claims").get(0);
            assertEquals("victim", claim.get("nodeId").asText());
            assertEquals(victimIncarnation, claim.get("incarnation").asLong());
            assertEquals("TIMED_OUT", claim.get("reason").asText());
            assertEquals(1, claim.get("delivery").asInt());
            assertTrue(Set.of("alpha", "beta", "gamma").contains(claim.get("claimer").asText()), claim.toString());
        } finally {
            release.countDown();
        }
    }

    @Test
    void showsAStaleEntryThatNoSurvivorReportedYetAndALeftOne() throws Exception {
        Clusterix lone = joined("lone");
        Clusterix leaving = joined("leaving");
        lone.dispose(); // no one left to poll: the entry stays, stale
        leaving.close(); // left, and no survivor to report it
        await().atMost(PATIENCE).until(() -> resp.serverTimeMillis() - (long) Double.parseDouble(
                resp.string("ZSCORE", lone.keys().heartbeats(), "lone")) > TIMEOUT_MS);

        Result table = cli("members");
        assertEquals(0, table.status(), table.err());
        assertTrue(table.out().contains("0 live, 1 stale, 1 left"), table.out());
        assertTrue(table.out().matches("(?s).*\\blone\\s+\\d+\\s+STALE\\s+\\d+ ms\\s+\\*.*"), table.out());
        assertTrue(table.out().matches("(?s).*\\bleaving\\s+\\d+\\s+LEFT\\s+-.*"), table.out());
        JsonNode state = json.readTree(cli("members", "--json").out());
        assertEquals("lone", state.get("leader").asText(), "a stale member stays in every view until reported");
        assertEquals(-1, state.get("members").get(1).get("ageMs").asLong());
    }

    @Test
    void anEmptyClusterSaysSo() {
        Result table = cli("members");
        assertEquals(0, table.status(), table.err());
        assertTrue(table.out().contains("no members"), table.out());
    }
}
