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
 * session ran them (see {@link #viewRows}): Redis CPU per build and mode, and how long a change took to reach every
 * member, against the target {@code heartbeatInterval + 50 ms}.
 */
public final class ScaleChart {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 620;
    private static final int VIEWS_HEIGHT = 560;
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
        List<ViewRow> views = viewsCsv == null ? List.of() : viewRows(RunResult.readAll(viewsCsv));
        ImageIO.write(render(runs, views), "png", out.toFile());
        System.out.println("Wrote " + out.toAbsolutePath().normalize() + " from " + runs.size() + " runs (script "
                + runs.get(0).scriptSha1() + ")" + (viewsCsv == null ? "" : " and " + views.size() + " runs of "
                + viewsCsv));
        if (markdown) {
            System.out.println(markdown(runs));
            System.out.println(attempts(all, runs.get(0).scriptSha1()));
            if (viewsCsv != null) {
                System.out.println(viewsMarkdown(views));
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

    static BufferedImage render(List<RunResult> runs, List<ViewRow> views) {
        int height = HEIGHT + (views.isEmpty() ? 0 : VIEWS_HEIGHT);
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
            renderViews(g, views, HEIGHT);
        }
        g.dispose();
        return image;
    }

    /** How a run of the views comparison ran: which build, and what the window did. */
    enum ViewMode {
        /** The build before membership views (no history in Redis, no view metrics), kills or churn. */
        BEFORE("before views", new Color(0x9E, 0x9E, 0x9E)),
        /** With views, kills only: like with like against {@link #BEFORE}. */
        KILLS("views, kills", new Color(0x1F, 0x77, 0xB4)),
        /** With views, churn: kills and as many new nodes. */
        CHURN("views, churn", new Color(0xFF, 0x7F, 0x0E)),
        /** With views, kills only, but the N nodes started within one heartbeat interval, as before views. */
        STORM("views, N joins in 500 ms", new Color(0xD6, 0x27, 0x28));

        final String label;
        final Color color;

        ViewMode(String label, Color color) {
            this.label = label;
            this.color = color;
        }

        static ViewMode of(RunResult r) {
            // The build before views: its own simulator wrote -1; this simulator over that build finds no history key.
            if (r.viewChecked() < 0 || r.historyEntries() <= 0) {
                return BEFORE;
            }
            if (r.churn()) {
                return CHURN;
            }
            return r.startupSpreadS() == 0 ? STORM : KILLS;
        }
    }

    /**
     * One run of the views comparison.
     *
     * @param mode   which build and what the window did
     * @param run    the run
     * @param before the {@link ViewMode#BEFORE} run of the same backend, Redis and N, or null
     */
    record ViewRow(ViewMode mode, RunResult run, RunResult before) {
        /** @return Redis CPU as a multiple of the build before views' in the same session, -1 if there is none */
        double ratio() {
            return before == null || before.redisCpuPct() <= 0 ? -1 : run.redisCpuPct() / before.redisCpuPct();
        }
    }

    /**
     * The runs of a views comparison session: at the default intervals, of each backend, Redis version, N and
     * {@link ViewMode} the least disturbed attempt (the lowest {@code otherCpuPct}; the later one on a tie), ordered
     * by backend, N and mode, each with the build before views' run it compares with.
     */
    static List<ViewRow> viewRows(List<RunResult> all) {
        Map<String, RunResult> best = new TreeMap<>();
        for (RunResult r : all) {
            if (r.heartbeatMs() != 500 || r.pollMs() != 500 || r.timeoutMs() != 1000) {
                continue;
            }
            String key = String.format(Locale.ROOT, "%s|%08d|%s|%d", r.backend(), r.nodes(), r.redisVersion(),
                    ViewMode.of(r).ordinal());
            best.merge(key, r, (a, b) -> b.otherCpuPct() <= a.otherCpuPct() ? b : a);
        }
        List<ViewRow> rows = new ArrayList<>();
        for (RunResult r : best.values()) {
            String before = String.format(Locale.ROOT, "%s|%08d|%s|%d", r.backend(), r.nodes(), r.redisVersion(),
                    ViewMode.BEFORE.ordinal());
            rows.add(new ViewRow(ViewMode.of(r), r, best.get(before)));
        }
        return rows;
    }

    /** The second row: Redis CPU by build and mode, and propagation to every member, per backend and N. */
    private static void renderViews(Graphics2D g, List<ViewRow> rows, int top) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString("Membership views: the build before them and this one, side by side in one session (60 s"
                + " windows, 1 % of N killed; churn: as many new nodes)", 30, top + 20);
        List<String> groups = rows.stream().map(r -> group(r.run())).distinct().toList();
        double cpuMax = Math.max(10, rows.stream().mapToDouble(r -> r.run().redisCpuPct()).max().orElse(0) * 1.15);
        List<ViewRow> viewed = rows.stream().filter(r -> r.mode() != ViewMode.BEFORE).toList();
        long heartbeat = rows.get(0).run().heartbeatMs();
        double msMax = Math.max(heartbeat + 150, viewed.stream().mapToDouble(r -> r.run().propagationMaxMs()).max()
                .orElse(0) * 1.1);
        Bars cpu = new Bars(70, top + 70, 600, 380, groups, cpuMax, "Redis CPU, % of one core");
        Bars ms = new Bars(770, top + 70, 600, 380, groups, msMax,
                "A change's write to the last member's listener: p99 bar, p50 tick, max whisker, ms");
        cpu.axes(g);
        ms.axes(g);
        ms.horizontal(g, heartbeat + 50, "target at 1,000 nodes: p99 <= heartbeatInterval + 50 = " + (heartbeat + 50)
                + " ms");
        int modes = ViewMode.values().length;
        for (ViewRow row : rows) {
            RunResult r = row.run();
            int slot = row.mode().ordinal();
            int gi = groups.indexOf(group(r));
            String label = String.format(Locale.ROOT, "%.1f%%", r.redisCpuPct());
            if (row.ratio() >= 0 && row.mode() != ViewMode.BEFORE) {
                label += String.format(Locale.ROOT, " (%.2fx)", row.ratio());
            }
            cpu.bar(g, gi, slot, modes, r.redisCpuPct(), row.mode().color, label, r.falseDowns() > 0);
            if (row.mode() != ViewMode.BEFORE && r.propagationP99Ms() >= 0) {
                ms.bar(g, gi, slot, modes, r.propagationP99Ms(), row.mode().color,
                        String.format(Locale.ROOT, "%.0f", r.propagationP99Ms()), r.falseDowns() > 0);
                ms.whisker(g, gi, slot, modes, r.propagationP50Ms(), r.propagationMaxMs());
            }
        }
        int x = 70;
        int y = top + VIEWS_HEIGHT - 50;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (ViewMode mode : ViewMode.values()) {
            if (rows.stream().noneMatch(r -> r.mode() == mode)) {
                continue;
            }
            g.setColor(mode.color);
            g.fillRect(x, y - 10, 24, 12);
            g.setColor(Color.BLACK);
            g.drawString(mode.label, x + 32, y + 1);
            x += 80 + g.getFontMetrics().stringWidth(mode.label);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("(1.23x): Redis CPU over the build before views' in the same session. A red outline marks a run"
                + " with false \"node down\" events.", 70, y + 26);
    }

    private static String group(RunResult r) {
        return String.format(Locale.ROOT, "%s %,d", r.backend(), r.nodes());
    }

    /** A bar chart area: groups along x, a few bars per group, a linear y axis from 0. */
    /** A dashed grey line across a plot at height {@code y}, labelled above its left end: a target or a bound. */
    private static void targetLine(Graphics2D g, int x0, int x1, int y, String label) {
        g.setColor(new Color(0x88, 0x88, 0x88));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
        g.drawLine(x0, y, x1, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
        g.drawString(label, x0 + 6, y - 5);
    }

    private static final class Bars {
        final int left;
        final int top;
        final int width;
        final int height;
        final List<String> groups;
        final double yMax;
        final String title;

        Bars(int left, int top, int width, int height, List<String> groups, double yMax, String title) {
            this.left = left;
            this.top = top;
            this.width = width;
            this.height = height;
            this.groups = groups;
            this.yMax = yMax;
            this.title = title;
        }

        int y(double v) {
            return top + height - (int) Math.round(Math.min(v, yMax) / yMax * height);
        }

        int x(int group, int slot, int slots) {
            double groupWidth = width / (double) groups.size();
            double barWidth = groupWidth * 0.8 / slots;
            return left + (int) Math.round(group * groupWidth + groupWidth * 0.1 + slot * barWidth);
        }

        int barWidth(int slots) {
            return (int) Math.floor(width / (double) groups.size() * 0.8 / slots) - 2;
        }

        void axes(Graphics2D g) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, left, top - 10);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics metrics = g.getFontMetrics();
            double step = Panel.niceStep(yMax);
            for (double v = 0; v <= yMax + 1e-9; v += step) {
                g.setColor(new Color(0xE6, 0xE6, 0xE6));
                g.drawLine(left, y(v), left + width, y(v));
                g.setColor(Color.BLACK);
                String label = String.format(Locale.ROOT, "%.0f", v);
                g.drawString(label, left - 8 - metrics.stringWidth(label), y(v) + 4);
            }
            for (int i = 0; i < groups.size(); i++) {
                int center = left + (int) Math.round((i + 0.5) * width / groups.size());
                g.drawString(groups.get(i), center - metrics.stringWidth(groups.get(i)) / 2, top + height + 18);
            }
            g.setStroke(new BasicStroke(1.2f));
            g.drawRect(left, top, width, height);
        }

        void horizontal(Graphics2D g, double v, String label) {
            targetLine(g, left, left + width, y(v), label);
        }

        void bar(Graphics2D g, int group, int slot, int slots, double v, Color color, String label, boolean flag) {
            int x = x(group, slot, slots);
            int w = barWidth(slots);
            g.setColor(color);
            g.fillRect(x, y(v), w, top + height - y(v));
            if (flag) {
                g.setColor(Color.RED);
                g.setStroke(new BasicStroke(2.5f));
                g.drawRect(x, y(v), w, top + height - y(v));
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            // Vertical labels: four bars per group leave little room across.
            java.awt.geom.AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2, x + w / 2.0 + 4, y(v) - 4);
            g.drawString(label, x + w / 2 + 4, y(v) - 4);
            g.setTransform(saved);
        }

        void whisker(Graphics2D g, int group, int slot, int slots, double low, double high) {
            int x = x(group, slot, slots) + barWidth(slots) / 2;
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            if (high >= 0) {
                g.drawLine(x, y(high), x, y(Math.max(0, low)));
                g.drawLine(x - 4, y(high), x + 4, y(high));
            }
            if (low >= 0) {
                g.drawLine(x - 7, y(low), x + 7, y(low));
            }
        }
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
            double step = niceStep(yMax - yMin);
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
            targetLine(g, left, left + width, y(v), label);
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

        static double niceStep(double range) {
            double raw = range / 8;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (m * magnitude >= raw) {
                    return m * magnitude;
                }
            }
            return 10 * magnitude;
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

    /** @return the views comparison as a Markdown table for docs/PERFORMANCE.md */
    static String viewsMarkdown(List<ViewRow> rows) {
        StringBuilder md = new StringBuilder("\n| backend | N | build, mode | script | Redis CPU | × before"
                + " | propagation p50 / p99 / max ms | versions checked / mismatched / incomplete"
                + " | Redis bytes per member | history bytes (entries) | metadata bytes | false downs (start-up)"
                + " | detected | client CPU | listeners CPU | other CPU |\n"
                + "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ViewRow row : rows) {
            RunResult r = row.run();
            boolean views = row.mode() != ViewMode.BEFORE;
            md.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %.1f%% | %s | %s | %s | %s | %s | %s"
                            + " | %d (%d) | %d/%d | %.0f%% | %s | %.0f%% |\n", r.backend(), r.nodes(),
                    row.mode().label, r.scriptSha1(), r.redisCpuPct(),
                    views && row.ratio() >= 0 ? String.format(Locale.ROOT, "%.2f", row.ratio()) : "",
                    views ? triple(r.propagationP50Ms(), r.propagationP99Ms(), r.propagationMaxMs()) : "",
                    views ? String.format(Locale.ROOT, "%,d / %d / %d", r.viewChecked(), r.viewMismatches(),
                            r.viewIncomplete()) : "",
                    views ? String.format(Locale.ROOT, "%,.0f", r.redisBytesPerMember()) : "",
                    views ? String.format(Locale.ROOT, "%,d (%,d)", r.historyBytes(), r.historyEntries()) : "",
                    views ? String.format(Locale.ROOT, "%,d", r.metadataBytes()) : "", r.falseDowns(),
                    r.startupFalseDowns(), r.detected(), r.kills(), r.clientCpuPct(),
                    views ? String.format(Locale.ROOT, "%.1f%%", r.callbackCpuPct()) : "", r.otherCpuPct()));
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
                        triple(r.killP50Ms(), r.killP99Ms(), r.killMaxMs()),
                        triple(r.heartbeatP50Ms(), r.heartbeatP99Ms(), r.heartbeatMaxMs()), r.falseDowns(),
                        r.startupFalseDowns(), r.evictions(), r.rttP99Ms(), r.clientCpuPct(), r.heapPerNodeKb(),
                        r.peakThreads(), r.otherCpuPct()));
            }
        }
        return md.toString();
    }

    private static String triple(double a, double b, double c) {
        return a < 0 ? "-" : String.format(Locale.ROOT, "%.0f / %.0f / %.0f", a, b, c);
    }
}
