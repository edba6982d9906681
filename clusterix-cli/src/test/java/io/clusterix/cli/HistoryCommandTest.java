package io.clusterix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterix.Clusterix;
import io.clusterix.MembershipEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryCommandTest extends CliTest {
    @Test
    void printsTheRetainedChangesNewestLastWithTheLeaderAfterEachAndFiltersByNode() throws Exception {
        Clusterix first = joined("first");
        List<MembershipEvent> seen = new CopyOnWriteArrayList<>();
        first.onMembershipChanged(seen::add);
        joined("second").close();
        Clusterix third = joined("third");
        third.dispose();
        await().atMost(PATIENCE).until(() -> seen.stream().anyMatch(e -> e.type() == MembershipEvent.Type.TIMED_OUT));
        first.close();

        Result all = cli("history");
        assertEquals(0, all.status(), all.err());
        List<String> lines = all.out().lines().collect(Collectors.toList());
        assertEquals("6 changes of {" + prefix + "}, newest last:", lines.get(0));
        String[][] expected = {{"JOINED", "first", "first"}, {"JOINED", "second", "first"}, {"LEFT", "second", "first"},
                {"JOINED", "third", "first"}, {"TIMED_OUT", "third", "first"}, {"LEFT", "first", "(none)"}};
        // Each line: version, time, type, node, incarnation, the leader after the change.
        for (int i = 0; i < expected.length; i++) {
            String line = lines.get(i + 1);
            assertTrue(line.matches("\\d+\\s+\\S+Z\\s+" + expected[i][0] + "\\s+" + expected[i][1]
                    + "\\s+incarnation \\d+\\s+leader " + java.util.regex.Pattern.quote(expected[i][2])), line);
        }

        Result third_ = cli("history", "--node", "third", "--json");
        assertEquals(0, third_.status(), third_.err());
        List<JsonNode> changes = third_.out().lines().map(this::parse).collect(Collectors.toList());
        assertEquals(List.of("JOINED", "TIMED_OUT"), changes.stream().map(c -> c.get("type").asText()).toList());
        assertTrue(changes.get(1).get("version").asLong() > changes.get(0).get("version").asLong());
        assertEquals("first", changes.get(1).get("leader").asText());
    }

    private JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
