package dev.junction.server.ui;

import dev.junction.engine.port.RunStats;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the dashboard shows of the last 24 hours, already formatted: totals, a row per hour that had
 * runs (the charts' accessible table), the three charts as SVG ({@link SvgChart}) and the top
 * errors. Built by {@link #of} from the store's figures, a pure function of them and the time.
 */
public record DashboardView(
        Totals totals,
        List<HourRow> hours,
        String runsChart,
        String successChart,
        String latencyChart,
        List<ErrorRow> errors,
        String updated) {
    /** The hourly slots the charts show: the current hour and the 23 before it. */
    static final int SLOTS = 24;

    private static final DateTimeFormatter HOUR =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    public DashboardView {
        hours = List.copyOf(hours);
        errors = List.copyOf(errors);
    }

    /** Runs created in the window, those finished as succeeded and as failed, and the share. */
    public record Totals(long runs, long succeeded, long failed, String successRate) {}

    /** One hour in the table: its start (UTC) and figures; rates and latencies "–" when none finished. */
    public record HourRow(
            String hour, long runs, long succeeded, long failed, String successRate, String p50, String p95) {}

    /** One group of failed runs, with the runs explorer filtered to its flow's failures. */
    public record ErrorRow(String code, String message, String flowId, long count, String last, String runsHref) {}

    /** Whether any run was created in the window (else the page says so instead of empty charts). */
    public boolean anyRuns() {
        return totals.runs() > 0;
    }

    /** The first slot's start for a dashboard seen at {@code now}. */
    static Instant since(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(SLOTS - 1));
    }

    static DashboardView of(List<RunStats.Hour> figures, List<RunStats.ErrorCount> errors, Instant now) {
        Instant since = since(now);
        Map<Instant, RunStats.Hour> byStart =
                figures.stream().collect(Collectors.toMap(RunStats.Hour::start, Function.identity(), (a, b) -> a));
        List<String> labels = new ArrayList<>();
        List<Double> runs = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p95 = new ArrayList<>();
        List<HourRow> rows = new ArrayList<>();
        long total = 0;
        long succeeded = 0;
        long failed = 0;
        for (int i = 0; i < SLOTS; i++) {
            Instant start = since.plus(Duration.ofHours(i));
            RunStats.Hour h = byStart.get(start);
            labels.add(HOUR.format(start));
            runs.add(h == null ? 0.0 : h.runs());
            Double rate = h == null || h.succeeded() + h.failed() == 0
                    ? null
                    : 100.0 * h.succeeded() / (h.succeeded() + h.failed());
            rates.add(rate);
            p50.add(h == null || h.p50Millis() == null ? null : h.p50Millis().doubleValue());
            p95.add(h == null || h.p95Millis() == null ? null : h.p95Millis().doubleValue());
            if (h != null) {
                total += h.runs();
                succeeded += h.succeeded();
                failed += h.failed();
                rows.add(new HourRow(
                        HOUR.format(start) + " UTC",
                        h.runs(),
                        h.succeeded(),
                        h.failed(),
                        rate == null ? "–" : Views.percent(rate / 100),
                        h.p50Millis() == null ? "–" : Views.millis(h.p50Millis()),
                        h.p95Millis() == null ? "–" : Views.millis(h.p95Millis())));
            }
        }
        Totals totals = new Totals(
                total,
                succeeded,
                failed,
                succeeded + failed == 0 ? "–" : Views.percent((double) succeeded / (succeeded + failed)));
        String range = "the last 24 hours, from %s UTC".formatted(labels.getFirst());
        return new DashboardView(
                totals,
                rows,
                SvgChart.bars(
                        "chart-runs", "Runs per hour over %s: %d in all".formatted(range, total), labels, runs, "runs"),
                SvgChart.lines(
                        "chart-success",
                        "Success rate per hour over %s: %s overall".formatted(range, totals.successRate()),
                        labels,
                        List.of(new SvgChart.Series("success rate", "rate", rates)),
                        100,
                        "%"),
                SvgChart.lines(
                        "chart-latency",
                        "Run latency per hour over %s, p50 (solid) and p95 (dashed)".formatted(range),
                        labels,
                        List.of(new SvgChart.Series("p50", "p50", p50), new SvgChart.Series("p95", "p95", p95)),
                        0,
                        "ms"),
                errors.stream().map(DashboardView::errorRow).toList(),
                Views.time(now));
    }

    private static ErrorRow errorRow(RunStats.ErrorCount e) {
        return new ErrorRow(
                e.code() == null ? "(no code)" : e.code(),
                e.message() == null ? "" : e.message(),
                e.flowId(),
                e.count(),
                Views.time(e.last()),
                "/ui/runs?flow=" + URLEncoder.encode(e.flowId(), StandardCharsets.UTF_8) + "&status=FAILED");
    }
}
