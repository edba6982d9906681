package io.clusterix.spring.boot.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GETs over real HTTP from an application's actuator, as a monitoring system does, and reads a Prometheus scrape.
 *
 * @param base e.g. {@code http://127.0.0.1:8080/actuator/}
 */
record HttpJson(String base) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern HEARTBEAT_COUNT = Pattern.compile("(?m)^clusterix_heartbeat_seconds_count\\{[^}]*"
            + "node=\"a\"[^}]*\\} ([0-9.eE+]+)$");

    /**
     * @param path e.g. {@code prometheus}
     * @return the body of a 200 answer
     */
    String text(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(base + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /**
     * @param path e.g. {@code health}
     * @return the JSON object of a 200 answer
     */
    Map<String, Object> json(String path) throws Exception {
        return map(JSON.readValue(text(path), Map.class));
    }

    /**
     * @param name  a Prometheus sample name, e.g. {@code clusterix_members}
     * @param label a label that must be there, e.g. {@code reason="left"}, or empty
     * @param value the sample's value as Prometheus prints it, e.g. {@code 1.0}
     * @return a pattern for that sample of node a
     */
    static Pattern meter(String name, String label, String value) {
        return Pattern.compile("(?m)^" + name + "\\{(?=[^}]*node=\"a\")" + (label.isEmpty() ? "" : "(?=[^}]*"
                + Pattern.quote(label) + ")") + "[^}]*\\} " + Pattern.quote(value) + "$");
    }

    /**
     * @param scrape a Prometheus scrape
     * @return node a's {@code clusterix_heartbeat_seconds_count}
     */
    static double heartbeatCount(String scrape) {
        Matcher count = HEARTBEAT_COUNT.matcher(scrape);
        assertThat(count.find()).as(scrape).isTrue();
        return Double.parseDouble(count.group(1));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object json) {
        return (Map<String, Object>) json;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object json) {
        return (List<Map<String, Object>>) json;
    }
}
