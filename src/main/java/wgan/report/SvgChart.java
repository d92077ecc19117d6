package wgan.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: scales to its container's width (viewBox, no fixed size), nice round
 * ticks, a legend in the chart. No script, so the page opens offline and cannot fail to draw.
 */
final class SvgChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 36;
    private static final int BOTTOM = 44;
    private static final int MAX_POINTS = 1500;

    /** One line; faint lines are drawn thin and pale (raw values under their smoothed version). */
    record Series(String name, String colour, double[] xs, double[] ys, boolean dashed, boolean faint) {
    }

    private final String title;
    private final String xLabel;
    private final List<Series> series = new ArrayList<>();

    SvgChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    String toSvg() {
        double[] x = range(true);
        double[] y = range(false);
        double[] xTicks = ticks(x[0], x[1], integralXs());
        double[] yTicks = ticks(y[0], y[1], false);
        x = new double[]{Math.min(x[0], xTicks[0]), Math.max(x[1], xTicks[xTicks.length - 1])};
        y = new double[]{Math.min(y[0], yTicks[0]), Math.max(y[1], yTicks[yTicks.length - 1])};
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\""
                + " xmlns=\"http://www.w3.org/2000/svg\">", WIDTH, HEIGHT, Html.escape(title)));
        svg.append("<title>").append(Html.escape(title)).append("</title>");
        grid(svg, x, y, xTicks, yTicks);
        for (Series s : series) {
            line(svg, s, x, y);
        }
        legend(svg);
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 6, Html.escape(xLabel)));
        return svg.append("</svg>").toString();
    }

    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : xAxis ? s.xs() : s.ys()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[]{0, 1};
        }
        if (hi - lo < 1e-12) {
            double pad = Math.max(Math.abs(lo) * 0.1, 1e-3);
            return new double[]{lo - pad, hi + pad};
        }
        return new double[]{lo, hi};
    }

    /** Epochs and iterations are whole numbers: no tick at epoch 1.5. */
    private boolean integralXs() {
        return series.stream().allMatch(s -> java.util.Arrays.stream(s.xs()).allMatch(v -> v == Math.rint(v)));
    }

    /** About five round ticks (1, 2 or 5 times a power of ten) covering [lo, hi]. */
    static double[] ticks(double lo, double hi, boolean integral) {
        double raw = (hi - lo) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2 : raw / magnitude < 7.5 ? 5 : 10);
        step = integral ? Math.max(1, step) : step;
        double first = Math.floor(lo / step) * step;
        int count = (int) Math.ceil((hi - first) / step - 1e-9) + 1;
        double[] ticks = new double[count];
        for (int i = 0; i < count; i++) {
            ticks[i] = first + i * step;
        }
        return ticks;
    }

    private void grid(StringBuilder svg, double[] x, double[] y, double[] xTicks, double[] yTicks) {
        for (double t : yTicks) {
            double py = py(t, y);
            svg.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT, WIDTH - RIGHT, py, py, LEFT - 6, py + 4, label(t)));
        }
        for (double t : xTicks) {
            double px = px(t, x);
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    px, HEIGHT - BOTTOM + 18, label(t)));
        }
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>",
                LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, HEIGHT - BOTTOM));
    }

    private void line(StringBuilder svg, Series s, double[] x, double[] y) {
        int stride = Math.max(1, s.xs().length / MAX_POINTS); // a 20-epoch run has tens of thousands of points
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < s.xs().length; i += stride) {
            if (Double.isFinite(s.ys()[i])) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px(s.xs()[i], x), py(s.ys()[i], y)));
            }
        }
        String cls = "series" + (s.dashed() ? " dashed" : "") + (s.faint() ? " faint" : "");
        svg.append(String.format("<polyline class=\"%s\" stroke=\"%s\" points=\"%s\"/>", cls, s.colour(),
                points.toString().trim()));
        if (s.xs().length <= 40) { // few points (one per epoch): mark them
            for (int i = 0; i < s.xs().length; i++) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                        px(s.xs()[i], x), py(s.ys()[i], y), s.colour()));
            }
        }
    }

    private void legend(StringBuilder svg) {
        int at = LEFT;
        for (Series s : series) {
            if (s.faint()) {
                continue;
            }
            svg.append(String.format(Locale.ROOT, "<line class=\"series%s\" stroke=\"%s\" x1=\"%d\" x2=\"%d\" y1=\"16\" y2=\"16\"/>"
                    + "<text class=\"legend\" x=\"%d\" y=\"20\">%s</text>", s.dashed() ? " dashed" : "", s.colour(),
                    at, at + 22, at + 28, Html.escape(s.name())));
            at += 44 + 12 * s.name().length(); // room for the larger phone font too
        }
    }

    private static double px(double v, double[] x) {
        return LEFT + (v - x[0]) / (x[1] - x[0]) * (WIDTH - LEFT - RIGHT);
    }

    private static double py(double v, double[] y) {
        return HEIGHT - BOTTOM - (v - y[0]) / (y[1] - y[0]) * (HEIGHT - TOP - BOTTOM);
    }

    private static String label(double v) {
        if (Math.abs(v) < 1e-12) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 10000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1000);
        }
        String s = a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.4f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
