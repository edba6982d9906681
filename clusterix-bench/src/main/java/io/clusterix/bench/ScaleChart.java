package io.clusterix.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the simulator's CSV as a PNG: Redis CPU and detection p99 (from the kill) against N, one line per backend and
 * Redis version, with the targets and the Node clusterix figures from the issue for comparison. Plain Java2D. With
 * {@code --markdown}, also prints the runs as Markdown tables (one per Redis version) for docs/PERFORMANCE.md.
 *
 * <pre>
 * ScaleChart --csv results/scale.csv --out ../docs/scale.png [--views results/views.csv] [--markdown]
 * </pre>
 * Only runs at the default intervals (500/500/1000 ms) are drawn; of several runs of one backend, Redis version and N,
 * the least disturbed one counts. Churn runs are left out of the lines.
 *
 * <p>With {@code --views}, a second row compares the builds before and with membership views, side by side as one
 * session ran them (see {@link ViewsChart}): Redis CPU per build and mode, and how long a change took to reach every
 * member, against the target {@code heartbeatInterval + 50 ms}.
 */
public final class ScaleChart {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 620;
    /** The measurements of the Node module: (N, Redis CPU %). It saturated at 1,000. */
    private static final double[][] NODE_CPU = {{100, 3}, {250, 11}, {500, 46}, {750, 92}, {1000, 100}};
    private static final Map<String, Color> COLORS = Map.of(
            "jedis", new Color(0xD6, 0x27, 0x28), "lettuce", new Color(0x1F, 0x77, 0xB4),
            "redisson", new Color(0x2C, 0xA0, 0x2C));

    private ScaleChart() {
    }

    /**
     * @param args {@code --csv file --out file.png [--markdown]}
     * @throws IOException if the CSV cannot be read or the PNG written
     */
    public static void main(String[] args) throws IOException {
        Path csv = Path.of("results", "scale.csv");
        Path out = Path.of("scale.png");
        boolean markdown = false;
        String script = null;
        Path viewsCsv = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--csv" -> csv = Path.of(args[++i]);
                case "--views" -> viewsCsv = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--script" -> script = args[++i];
                case "--markdown" -> markdown = true;
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + ". Usage: ScaleChart"
                        + " --csv results/scale.csv --out ../docs/scale.png [--script sha1-prefix]"
                        + " [--views results/views.csv] [--markdown]");
            }
        }
        List<RunResult> all = RunResult.readAll(csv);
        List<RunResult> runs = select(all, script);
        if (runs.isEmpty()) {
            throw new IllegalStateException("No run at the default intervals (500/500/1000 ms) in " + csv
                    + (script != null ? " with script " + script : ""));
        }
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        List<ViewsChart.ViewRow> views = viewsCsv == null ? List.of()
                : ViewsChart.viewRows(RunResult.readAll(viewsCsv));
        ImageIO.write(render(runs, views), "png", out.toFile());
        System.out.println("Wrote " + out.toAbsolutePath().normalize() + " from " + runs.size() + " runs (script "
                + runs.get(0).scriptSha1() + ")" + (viewsCsv == null ? "" : " and " + views.size() + " runs of "
                + viewsCsv));
        if (markdown) {
            System.out.println(markdown(runs));
            System.out.println(attempts(all, runs.get(0).scriptSha1()));
            if (viewsCsv != null) {
                System.out.println(ViewsChart.viewsMarkdown(views));
            }
        }
    }

    /**
     * The runs to show: at the default intervals, of one version of clusterix.lua ({@code script}, a SHA-1 prefix;
     * by default that of the last such run in the file), and of each backend, Redis version and N the attempt that
     * other processes of the machine disturbed least (the lowest {@code otherCpuPct}; the later one on a tie).
     */
    static List<RunResult> select(List<RunResult> all, String script) {
        List<RunResult> defaults = all.stream()
                .filter(r -> r.heartbeatMs() == 500 && r.pollMs() == 500 && r.timeoutMs() == 1000 && !r.churn())
                .toList();
        if (defaults.isEmpty()) {
            return List.of();
        }
        String version = script != null ? script : defaults.get(defaults.size() - 1).scriptSha1();
        Map<String, RunResult> best = new TreeMap<>();
        for (RunResult r : defaults) {
            if (!r.scriptSha1().startsWith(version)) {
                continue;
            }
            String key = String.format(Locale.ROOT, "%s|%s|%08d", r.redisVersion(), r.backend(), r.nodes());
            best.merge(key, r, (a, b) -> b.otherCpuPct() <= a.otherCpuPct() ? b : a);
        }
        return new ArrayList<>(best.values());
    }

    /** Series key: backend and Redis version; values: runs by N. */
    private static Map<String, List<RunResult>> series(List<RunResult> runs) {
        Map<String, List<RunResult>> series = new LinkedHashMap<>();
        for (RunResult r : runs) {
            series.computeIfAbsent(r.backend() + " / Redis " + r.redisVersion(), k -> new ArrayList<>()).add(r);
        }
        return series;
    }

    static BufferedImage render(List<RunResult> runs) {
        return render(runs, List.of());
    }

    static BufferedImage render(List<RunResult> runs, List<ViewsChart.ViewRow> views) {
        int height = HEIGHT + (views.isEmpty() ? 0 : ViewsChart.HEIGHT);
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString("clusterix scale simulator: one Redis, N virtual nodes on " + runs.get(0).connections()
                + " shared connections, defaults 500/500/1000 ms", 30, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("Redis and the simulator on one " + runs.get(0).cores() + "-core machine. Solid: Redis "
                + runs.stream().map(RunResult::redisVersion).distinct().sorted().findFirst().orElse("?")
                + "; dashed: the next Redis version, if measured.", 30, 46);

        List<String> versions = runs.stream().map(RunResult::redisVersion).distinct().sorted().toList();
        Map<String, List<RunResult>> series = series(runs);
        double maxN = runs.stream().mapToDouble(RunResult::nodes).max().orElse(10_000);
        double cpuMax = Math.max(100, runs.stream().mapToDouble(RunResult::redisCpuPct).max().orElse(0) * 1.1);
        double p99Max = Math.max(2000, runs.stream().mapToDouble(RunResult::killP99Ms).max().orElse(0) * 1.1);

        Panel cpu = new Panel(70, 90, 600, 420, 50, maxN * 1.4, 0, cpuMax,
                "Redis CPU, % of one core (INFO used_cpu_user+sys)");
        Panel p99 = new Panel(770, 90, 600, 420, 50, maxN * 1.4, 0, p99Max,
                "Detection latency p99 from the kill, ms");
        cpu.axes(g);
        p99.axes(g);
        cpu.horizontal(g, 50, "target at 10,000 nodes: <= 50%");
        p99.horizontal(g, 1500, "target: <= timeout + pollInterval = 1500 ms");
        p99.horizontal(g, 1000, "timeout = 1000 ms");

        // The Node module, from the issue.
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 4f}, 0f));
        for (int i = 1; i < NODE_CPU.length; i++) {
            g.drawLine(cpu.x(NODE_CPU[i - 1][0]), cpu.y(NODE_CPU[i - 1][1]), cpu.x(NODE_CPU[i][0]),
                    cpu.y(NODE_CPU[i][1]));
        }
        for (double[] point : NODE_CPU) {
            g.fillRect(cpu.x(point[0]) - 3, cpu.y(point[1]) - 3, 7, 7);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("Node clusterix (issue):", cpu.x(1000) + 10, cpu.y(100) + 16);
        g.drawString("saturated at 1,000", cpu.x(1000) + 10, cpu.y(100) + 30);

        int legendY = 555;
        int legendX = 70;
        for (Map.Entry<String, List<RunResult>> entry : series.entrySet()) {
            List<RunResult> points = entry.getValue();
            String backend = points.get(0).backend();
            Color color = COLORS.getOrDefault(backend, Color.MAGENTA);
            boolean dashed = versions.indexOf(points.get(0).redisVersion()) > 0;
            Stroke stroke = dashed
                    ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {9f, 6f}, 0f)
                    : new BasicStroke(2.5f);
            cpu.line(g, points, RunResult::redisCpuPct, color, stroke, "%.0f%%");
            p99.line(g, points.stream().filter(r -> r.killP99Ms() >= 0).toList(), RunResult::killP99Ms, color,
                    stroke, "%.0f");
            g.setColor(color);
            g.setStroke(stroke);
            g.drawLine(legendX, legendY, legendX + 40, legendY);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(entry.getKey(), legendX + 48, legendY + 5);
            legendX += 260;
            if (legendX > WIDTH - 260) {
                legendX = 70;
                legendY += 24;
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("x: N virtual nodes (log scale).  A red ring marks a run with false \"node down\" events. "
                + "Dotted grey: the Node module as measured in the issue.", 70, HEIGHT - 22);
        if (!views.isEmpty()) {
            ViewsChart.render(g, views, HEIGHT);
        }
        g.dispose();
        return image;
    }

    /** One chart area with a log x axis and a linear y axis. */
    private static final class Panel {
        final int left;
        final int top;
        final int width;
        final int height;
        final double xMin;
        final double xMax;
        final double yMin;
        final double yMax;
        final String title;

        Panel(int left, int top, int width, int height, double xMin, double xMax, double yMin, double yMax,
              String title) {
            this.left = left;
            this.top = top;
            this.width = width;
            this.height = height;
            this.xMin = xMin;
            this.xMax = xMax;
            this.yMin = yMin;
            this.yMax = yMax;
            this.title = title;
        }

        int x(double n) {
            double f = (Math.log(n) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin));
            return left + (int) Math.round(f * width);
        }

        int y(double v) {
            double f = (Math.min(v, yMax) - yMin) / (yMax - yMin);
            return top + height - (int) Math.round(f * height);
        }

        void axes(Graphics2D g) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, left, top - 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics metrics = g.getFontMetrics();
            double[] ticks = {100, 250, 500, 1000, 2500, 5000, 10_000, 20_000, 50_000, 100_000};
            for (double tick : ticks) {
                if (tick < xMin || tick > xMax) {
                    continue;
                }
                int x = x(tick);
                g.setColor(new Color(0xE6, 0xE6, 0xE6));
                g.drawLine(x, top, x, top + height);
                g.setColor(Color.BLACK);
                String label = String.format(Locale.ROOT, "%,d", (long) tick);
                g.drawString(label, x - metrics.stringWidth(label) / 2, top + height + 18);
            }
            double step = ChartParts.niceStep(yMax - yMin);
            for (double v = yMin; v <= yMax + 1e-9; v += step) {
                int y = y(v);
                g.setColor(new Color(0xE6, 0xE6, 0xE6));
                g.drawLine(left, y, left + width, y);
                g.setColor(Color.BLACK);
                String label = String.format(Locale.ROOT, "%.0f", v);
                g.drawString(label, left - 8 - metrics.stringWidth(label), y + 4);
            }
            g.setStroke(new BasicStroke(1.2f));
            g.drawRect(left, top, width, height);
        }

        void horizontal(Graphics2D g, double v, String label) {
            ChartParts.targetLine(g, left, left + width, y(v), label);
        }

        void line(Graphics2D g, List<RunResult> points, ToDoubleFunction<RunResult> value, Color color,
                  Stroke stroke, String labelFormat) {
            g.setColor(color);
            g.setStroke(stroke);
            for (int i = 1; i < points.size(); i++) {
                g.drawLine(x(points.get(i - 1).nodes()), y(value.applyAsDouble(points.get(i - 1))),
                        x(points.get(i).nodes()), y(value.applyAsDouble(points.get(i))));
            }
            g.setStroke(new BasicStroke(2f));
            for (RunResult r : points) {
                int x = x(r.nodes());
                int y = y(value.applyAsDouble(r));
                g.setColor(color);
                g.fillOval(x - 4, y - 4, 9, 9);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                g.drawString(String.format(Locale.ROOT, labelFormat, value.applyAsDouble(r)), x + 7, y - 6);
                if (r.falseDowns() > 0 || r.evictions() > 0) {
                    g.setColor(Color.RED);
                    g.drawOval(x - 8, y - 8, 17, 17);
                }
            }
        }
    }

    /** @return every attempt of one script version, briefly, so that repeated runs stay visible */
    static String attempts(List<RunResult> all, String script) {
        StringBuilder md = new StringBuilder("\nEvery attempt (script " + script + "):\n\n"
                + "| started | backend | Redis | N | other CPU | Redis CPU | false downs (start-up) | evictions"
                + " | p99 from kill ms | longest stall ms | send gap p99.9 ms |\n"
                + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (RunResult r : all) {
            if (r.scriptSha1().equals(script) && r.heartbeatMs() == 500 && r.pollMs() == 500 && r.timeoutMs() == 1000) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %.0f%% | %.1f%% | %d (%d) | %d | %.0f"
                                + " | %.0f | %.0f |\n", r.started(), r.backend(), r.redisVersion(), r.nodes(),
                        r.otherCpuPct(), r.redisCpuPct(), r.falseDowns(), r.startupFalseDowns(), r.evictions(),
                        r.killP99Ms(), r.stallMs(), r.sendGapP999Ms()));
            }
        }
        return md.toString();
    }

    /** @return the runs as Markdown tables, one per Redis version */
    static String markdown(List<RunResult> runs) {
        StringBuilder md = new StringBuilder();
        for (String version : runs.stream().map(RunResult::redisVersion).distinct().sorted().toList()) {
            md.append("\nRedis ").append(version).append(" (").append(runs.get(0).cores()).append(" cores)\n\n");
            md.append("| backend | N | Redis CPU | calls/node/s | EVALSHA/s | Redis cmds/s | µs/call in Redis"
                    + " | detected | from kill p50 / p99 / max ms | from last heartbeat p50 / p99 / max ms"
                    + " | false downs (start-up) | evictions | rtt p99 ms | client CPU | heap/node | threads"
                    + " | other CPU |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (RunResult r : runs) {
                if (!r.redisVersion().equals(version)) {
                    continue;
                }
                md.append(String.format(Locale.ROOT,
                        "| %s | %,d | %.1f%% | %.2f | %,.0f | %,.0f | %.1f | %d/%d | %s | %s | %d (%d) | %d | %.0f"
                                + " | %.0f%% | %.1f KiB | %d | %.0f%% |\n",
                        r.backend(), r.nodes(), r.redisCpuPct(), r.callsPerNodeS(), r.scriptCallsPerS(),
                        r.redisCommandsPerS(), r.scriptMicrosPerCall(), r.detected(), r.kills(),
                        ChartParts.triple(r.killP50Ms(), r.killP99Ms(), r.killMaxMs()),
                        ChartParts.triple(r.heartbeatP50Ms(), r.heartbeatP99Ms(), r.heartbeatMaxMs()), r.falseDowns(),
                        r.startupFalseDowns(), r.evictions(), r.rttP99Ms(), r.clientCpuPct(), r.heapPerNodeKb(),
                        r.peakThreads(), r.otherCpuPct()));
            }
        }
        return md.toString();
    }
}
