package io.clusterix.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes what each scenario observed to {@code target/reliability.md}: one table per backend that ran, one row per
 * scenario. Each scenario records its row before it asserts, so a failing scenario shows its figures too. Rows live
 * in {@code target/reliability/<backend>/}, so runs for several backends (one Maven run each, without
 * {@code clean}) add up to one file.
 */
final class ReliabilityReport {
    private ReliabilityReport() {
    }

    /**
     * @param cluster  the scenario's harness (backend, Redis version, intervals)
     * @param order    sorts the rows, e.g. "1"
     * @param scenario what was done
     * @param runs     how many times
     * @param expected what should be seen
     * @param observed what was seen, with figures
     * @param passed   whether observed matches expected
     */
    static synchronized void record(ChaosCluster cluster, String order, String scenario, String runs,
                                    String expected, String observed, boolean passed) {
        Path root = ChaosSettings.reportDir().resolve("reliability");
        Path backendDir = root.resolve(cluster.backend());
        try {
            Files.createDirectories(backendDir);
            Files.writeString(backendDir.resolve("meta.txt"), cluster.redis().version().replace("redis_version:",
                    "Redis ") + ", Java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores, " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).substring(0, 19));
            String intervals = " [heartbeat/poll/timeout " + cluster.heartbeat().toMillis() + "/"
                    + cluster.poll().toMillis() + "/" + cluster.timeout().toMillis() + " ms]";
            Files.writeString(backendDir.resolve(order + ".row"), String.join("\t", cell(scenario + intervals),
                    cell(runs),
                    cell(expected), cell(observed), passed ? "pass" : "**FAIL**"));
            Files.writeString(ChaosSettings.reportDir().resolve("reliability.md"), render(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reliability report under " + root, e);
        }
        System.out.println("[chaos] " + cluster.backend() + " | " + scenario + " | " + runs + " | " + observed + " | "
                + (passed ? "pass" : "FAIL"));
    }

    private static String cell(String text) {
        return text.replace("\t", " ").replace("\n", " ").replace("|", "\\|");
    }

    private static String render(Path root) throws IOException {
        StringBuilder out = new StringBuilder("# clusterix chaos suite: observed results\n\n"
                + "Written by `./mvnw verify -Pchaos -pl clusterix-chaos -am -Dchaos.backend=<backend>` (one section"
                + " per backend run since the last `clean`). Node logs and transcripts: `target/chaos/`.\n");
        List<Path> backends;
        try (Stream<Path> list = Files.list(root)) {
            backends = list.filter(Files::isDirectory).sorted((a, b) -> Integer.compare(
                    ChaosSettings.BACKENDS.indexOf(a.getFileName().toString()),
                    ChaosSettings.BACKENDS.indexOf(b.getFileName().toString()))).collect(Collectors.toList());
        }
        for (Path backendDir : backends) {
            List<Path> rows;
            try (Stream<Path> list = Files.list(backendDir)) {
                rows = list.filter(p -> p.toString().endsWith(".row")).sorted().collect(Collectors.toList());
            }
            out.append("\n## ").append(backendDir.getFileName()).append("\n\n");
            Path meta = backendDir.resolve("meta.txt");
            if (Files.exists(meta)) {
                out.append(Files.readString(meta)).append("\n\n");
            }
            out.append("| scenario | runs | expected | observed | result |\n|---|---|---|---|---|\n");
            List<String> lines = new ArrayList<>();
            for (Path row : rows) {
                lines.add("| " + String.join(" | ", Files.readString(row).split("\t")) + " |");
            }
            out.append(String.join("\n", lines)).append("\n");
        }
        return out.toString();
    }
}
