package io.clusterix.cli;

import io.clusterix.Clusterix;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real headless Chromium: the page loads, lists the members, and a node killed during the test
 * turns into a TIMED_OUT line of the timeline without a reload.
 */
class DashboardBrowserTest extends CliTest {
    private static final String ROWS = "Array.from(document.querySelectorAll('#members tr')).map(r => r.dataset.node)";
    private static final String TIMELINE = "Array.from(document.querySelectorAll('#timeline li'))"
            + ".map(li => li.textContent)";

    @Test
    void thePageListsTheMembersAndShowsADeathLiveWithoutAReload() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.installed(), "no Chromium at " + HeadlessChromium.BINARY
                + " (apt-get install chromium, or -Dclusterix.chromium=/path/to/chromium): the dashboard's browser"
                + " test cannot run");
        joined(builder("web-1").metadata(Map.of("zone", "eu-west")));
        joined(builder("web-2").metadata(Map.of("zone", "eu-east")));
        Clusterix victim = joined("worker-3");
        long victimIncarnation = victim.incarnation();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = {"dashboard", "--port", "0", "--refresh-ms", "200", "--redis-url", redis.uri(),
                "--key-prefix", prefix, "--timeout", Long.toString(TIMEOUT_MS)};
        Thread serving = new Thread(() -> ClusterixCli.execute(args, new PrintWriter(out), new PrintWriter(err),
                Map.of(), new BufferedReader(new StringReader(""))), "dashboard-under-test");
        serving.start();
        try (HeadlessChromium chromium = new HeadlessChromium(PATIENCE)) {
            await().atMost(PATIENCE).until(() -> out.toString().contains("Ctrl-C to stop"));
            Matcher address = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/) \\(listening on 127\\.0\\.0\\.1 only")
                    .matcher(out.toString());
            assertTrue(address.find(), out.toString());
            String url = address.group(1);
            HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "state")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, state.statusCode());

            chromium.navigate(url);
            await().atMost(PATIENCE).until(() -> HeadlessChromium.strings(chromium.evaluate(ROWS))
                    .equals(List.of("web-1", "web-2", "worker-3")));
            assertEquals("web-1", chromium.evaluate("document.getElementById('leader').textContent").asText());
            // The page comes with the members in it; its event stream connects after that.
            await().atMost(PATIENCE).until(() -> "live".equals(
                    chromium.evaluate("document.getElementById('status').textContent").asText()));
            assertTrue(chromium.evaluate("document.querySelector('#members tr').textContent").asText()
                    .contains("zone=eu-west"));
            // Set in the page now: a reload would lose it.
            chromium.evaluate("window.loadedOnce = 'still the same page'");
            int updates = chromium.evaluate("window.clusterixUpdates").asInt();

            victim.dispose();

            await().atMost(PATIENCE).until(() -> HeadlessChromium.strings(chromium.evaluate(TIMELINE)).stream()
                    .anyMatch(line -> line.contains("TIMED_OUT") && line.contains("worker-3")));
            List<String> timeline = HeadlessChromium.strings(chromium.evaluate(TIMELINE));
            assertTrue(timeline.get(0).contains("TIMED_OUT") && timeline.get(0).contains("worker-3")
                    && timeline.get(0).contains("leader web-1"), "newest first: " + timeline);
            assertEquals("still the same page", chromium.evaluate("window.loadedOnce").asText(), "no reload");
            assertTrue(chromium.evaluate("window.clusterixUpdates").asInt() > updates, "updated by events");
            await().atMost(PATIENCE).until(() -> HeadlessChromium.strings(chromium.evaluate(ROWS))
                    .equals(List.of("web-1", "web-2")));
            assertTrue(victimIncarnation > 0);
            if (System.getProperty("clusterix.dashboard.screenshot") != null) {
                java.nio.file.Files.write(java.nio.file.Path.of(System.getProperty("clusterix.dashboard.screenshot")),
                        chromium.screenshot());
            }
        } finally {
            serving.interrupt();
            serving.join(PATIENCE.toMillis());
        }
        assertTrue(err.toString().isEmpty(), err.toString());
    }
}
