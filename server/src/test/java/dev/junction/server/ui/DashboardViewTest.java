package dev.junction.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.port.RunStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the store's figures become the dashboard: 24 hourly slots, totals, tables and links. */
class DashboardViewTest {
    private static final Instant NOW = Instant.parse("2026-03-10T14:25:00Z");

    @Test
    void theWindowIsTheCurrentHourAndTheTwentyThreeBefore() {
        assertThat(DashboardView.since(NOW)).isEqualTo(Instant.parse("2026-03-09T15:00:00Z"));
    }

    @Test
    void hoursWithRunsBecomeRowsAndTotalsAndEveryHourABar() {
        DashboardView view = DashboardView.of(
                List.of(
                        new RunStats.Hour(Instant.parse("2026-03-09T15:00:00Z"), 4, 3, 1, 120L, 900L),
                        new RunStats.Hour(Instant.parse("2026-03-10T14:00:00Z"), 2, 0, 0, null, null)),
                List.of(),
                NOW);

        assertThat(view.anyRuns()).isTrue();
        assertThat(view.totals()).isEqualTo(new DashboardView.Totals(6, 3, 1, "75 %"));
        assertThat(view.hours())
                .containsExactly(
                        new DashboardView.HourRow("15:00 UTC", 4, 3, 1, "75 %", "120 ms", "900 ms"),
                        new DashboardView.HourRow("14:00 UTC", 2, 0, 0, "–", "–", "–"));
        assertThat(view.runsChart().split("<rect class=\"bar\"", -1)).hasSize(DashboardView.SLOTS + 1);
        assertThat(view.runsChart()).contains("<title>15:00: 4 runs</title>").contains("6 in all");
        assertThat(view.successChart()).contains("<title>success rate at 15:00: 75 %</title>");
        assertThat(view.latencyChart()).contains("<title>p95 at 15:00: 900 ms</title>");
        assertThat(view.updated()).isEqualTo("2026-03-10 14:25:00 UTC");
    }

    @Test
    void withoutRunsTheViewSaysSo() {
        DashboardView view = DashboardView.of(List.of(), List.of(), NOW);
        assertThat(view.anyRuns()).isFalse();
        assertThat(view.totals().successRate()).isEqualTo("–");
    }

    @Test
    void anErrorLinksToItsFlowsFailedRuns() {
        DashboardView view = DashboardView.of(
                List.of(),
                List.of(
                        new RunStats.ErrorCount("HTTP_5XX", "orders & co", "502", 3, NOW),
                        new RunStats.ErrorCount(null, "sync", null, 1, NOW)),
                NOW);
        assertThat(view.errors())
                .containsExactly(
                        new DashboardView.ErrorRow(
                                "HTTP_5XX",
                                "502",
                                "orders & co",
                                3,
                                "2026-03-10 14:25:00 UTC",
                                "/ui/runs?flow=orders+%26+co&status=FAILED"),
                        new DashboardView.ErrorRow(
                                "(no code)",
                                "",
                                "sync",
                                1,
                                "2026-03-10 14:25:00 UTC",
                                "/ui/runs?flow=sync&status=FAILED"));
    }
}
