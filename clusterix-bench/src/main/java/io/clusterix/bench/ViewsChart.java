package io.clusterix.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The second row of the {@link ScaleChart}: the builds before and with membership views, side by side as one session
 * ran them (see {@link #viewRows}). Bars of Redis CPU per build and mode, and of how long a change took to reach every
 * member, against the target {@code heartbeatInterval + 50 ms}; with {@code --markdown}, the same runs as a table.
 */
final class ViewsChart {
    /** Height of the row, px, below the main chart. */
    static final int HEIGHT = 560;

    private ViewsChart() {
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
    static void render(Graphics2D g, List<ViewRow> rows, int top) {
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
        int y = top + HEIGHT - 50;
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
                    views ? ChartParts.triple(r.propagationP50Ms(), r.propagationP99Ms(), r.propagationMaxMs()) : "",
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

    private static String group(RunResult r) {
        return String.format(Locale.ROOT, "%s %,d", r.backend(), r.nodes());
    }

    /** A bar chart area: groups along x, a few bars per group, a linear y axis from 0. */
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
            double step = ChartParts.niceStep(yMax);
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
            ChartParts.targetLine(g, left, left + width, y(v), label);
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
            AffineTransform saved = g.getTransform();
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
}
