package io.clusterix.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.util.Locale;

/** What the {@link ScaleChart} and the {@link ViewsChart} draw and print alike: target lines, axis steps, cells. */
final class ChartParts {
    private ChartParts() {
    }

    /** A dashed grey line across a plot at height {@code y}, labelled above its left end: a target or a bound. */
    static void targetLine(Graphics2D g, int x0, int x1, int y, String label) {
        g.setColor(new Color(0x88, 0x88, 0x88));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
        g.drawLine(x0, y, x1, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
        g.drawString(label, x0 + 6, y - 5);
    }

    /** @return a step of 1, 2, 2.5 or 5 times a power of ten that cuts {@code range} into at most about 8 */
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

    /** @return "p50 / p99 / max", whole ms, or "-" when not measured */
    static String triple(double a, double b, double c) {
        return a < 0 ? "-" : String.format(Locale.ROOT, "%.0f / %.0f / %.0f", a, b, c);
    }
}
