package dev.junction.server.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small charts rendered on the server as inline SVG, so the dashboard needs no chart script and
 * keeps to the strict CSP (no inline style: colours and dashes come from classes styled in {@code
 * ui.css}, geometry from presentation attributes). Each chart is an {@code img} named by its
 * {@code <title>}; every bar and point carries its own {@code <title>} with the value, and the page
 * shows the same figures as a table. All text is escaped. Stateless; thread-safe.
 */
final class SvgChart {
    static final int WIDTH = 480;
    static final int HEIGHT = 170;
    static final int LEFT = 44;
    static final int RIGHT = 8;
    static final int TOP = 10;
    static final int BOTTOM = 24;
    /** Every how many slots the x axis is labelled. */
    private static final int LABEL_EVERY = 6;

    private SvgChart() {}

    /**
     * One line of a line chart: {@code values} per slot, null where the slot has none (the line
     * breaks there); {@code css} names its class in {@code ui.css} (stroke colour, dashes).
     */
    record Series(String name, String css, List<Double> values) {
        Series {
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }
    }

    /** A bar per slot ({@code labels} and {@code values} of equal length), {@code unit} after values. */
    static String bars(String id, String title, List<String> labels, List<Double> values, String unit) {
        double max =
                niceMax(values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        StringBuilder svg = open(id, title, labels, max, unit);
        double slot = plotWidth() / labels.size();
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            double h = v / max * plotHeight();
            svg.append("<rect class=\"bar\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\"><title>%s</title></rect>"
                    .formatted(
                            num(LEFT + i * slot + slot * 0.15),
                            num(TOP + plotHeight() - h),
                            num(slot * 0.7),
                            num(h),
                            escape(labels.get(i) + ": " + format(v) + " " + unit)));
        }
        return svg.append("</svg>").toString();
    }

    /** A line per series over the slots, from 0 to {@code max} (0: the largest value, rounded up). */
    static String lines(String id, String title, List<String> labels, List<Series> series, double max, String unit) {
        double top = max > 0
                ? max
                : niceMax(series.stream()
                        .flatMap(s -> s.values().stream())
                        .filter(java.util.Objects::nonNull)
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElse(0));
        StringBuilder svg = open(id, title, labels, top, unit);
        double slot = plotWidth() / labels.size();
        int row = 0;
        for (Series s : series) {
            List<String> segment = new ArrayList<>();
            StringBuilder points = new StringBuilder();
            for (int i = 0; i <= s.values().size(); i++) {
                Double v = i < s.values().size() ? s.values().get(i) : null;
                if (v == null) {
                    if (!segment.isEmpty()) {
                        svg.append("<polyline class=\"line %s\" fill=\"none\" points=\"%s\"/>"
                                .formatted(escape(s.css()), String.join(" ", segment)));
                        segment.clear();
                    }
                    continue;
                }
                String x = num(LEFT + i * slot + slot / 2);
                String y = num(TOP + plotHeight() - Math.min(v, top) / top * plotHeight());
                segment.add(x + "," + y);
                points.append("<circle class=\"point %s\" cx=\"%s\" cy=\"%s\" r=\"2.5\"><title>%s</title></circle>"
                        .formatted(
                                escape(s.css()),
                                x,
                                y,
                                escape(s.name() + " at " + labels.get(i) + ": " + format(v) + " " + unit)));
            }
            svg.append(points);
            // the legend names each line in words, so colour is not the only difference
            svg.append("<text class=\"legend %s\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                    .formatted(escape(s.css()), WIDTH - RIGHT, TOP + 12 + 14 * row++, escape(s.name())));
        }
        return svg.append("</svg>").toString();
    }

    /** The svg element, its title, the grid and the axis labels (0 and {@code max} on y). */
    private static StringBuilder open(String id, String title, List<String> labels, double max, String unit) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a chart needs at least one slot");
        }
        StringBuilder svg = new StringBuilder();
        svg.append(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-title\">"
                        .formatted(WIDTH, HEIGHT, escape(id)));
        svg.append("<title id=\"%s-title\">%s</title>".formatted(escape(id), escape(title)));
        double bottom = TOP + plotHeight();
        svg.append("<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                .formatted(LEFT, TOP, WIDTH - RIGHT, TOP));
        svg.append("<line class=\"axis\" x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>"
                .formatted(LEFT, num(bottom), WIDTH - RIGHT, num(bottom)));
        svg.append("<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                .formatted(LEFT - 4, TOP + 4, escape(format(max) + " " + unit)));
        svg.append("<text class=\"tick\" x=\"%d\" y=\"%s\" text-anchor=\"end\">0</text>"
                .formatted(LEFT - 4, num(bottom + 4)));
        double slot = plotWidth() / labels.size();
        for (int i = 0; i < labels.size(); i += LABEL_EVERY) {
            svg.append("<text class=\"tick\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                    .formatted(num(LEFT + i * slot + slot / 2), HEIGHT - 6, escape(labels.get(i))));
        }
        return svg;
    }

    private static double plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static double plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    /** The smallest 1, 2 or 5 × 10ⁿ at or above {@code v} (at least 1), so the axis reads well. */
    static double niceMax(double v) {
        if (v <= 1) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /** A coordinate with at most one decimal, independent of the locale. */
    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v).replace(".0", "");
    }

    /** A value: whole numbers without decimals, others with one. */
    static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
