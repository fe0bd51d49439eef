package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.schedule.ScheduleTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTickerTest {
    private final EngineHarness h = new EngineHarness(Map.of());
    private final ScheduleTicker ticker = new ScheduleTicker(h.flows, h.engine, h.clock);

    @Test
    void firesEveryIntervalFromWhenTheFlowWasFirstSeen() {
        h.deploy("""
                id: every
                trigger: { type: schedule, every: 5m }
                steps: [ { id: a, type: map, expression: "trigger.time" } ]
                """);
        assertThat(ticker.tick()).isZero();
        h.clock.advance(Duration.ofMinutes(4));
        assertThat(ticker.tick()).isZero();
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(ticker.tick()).isEqualTo(1);
        assertThat(ticker.tick()).isZero();
    }

    @Test
    void cronFiresInItsTimeZone() {
        h.deploy("""
                id: morning
                trigger: { type: schedule, cron: "0 9 * * *", timezone: Europe/Berlin }
                steps: [ { id: a, type: map, expression: "trigger.time" } ]
                """);
        h.clock.set(Instant.parse("2026-03-01T07:00:00Z"));
        ticker.tick();
        h.clock.set(Instant.parse("2026-03-01T07:59:59Z"));
        assertThat(ticker.tick()).isZero();
        h.clock.set(Instant.parse("2026-03-01T08:00:00Z")); // 09:00 in Berlin (CET)
        assertThat(ticker.tick()).isEqualTo(1);
        Run run = h.runs.list("default", new RunQuery("morning", null, null, null, null, 10))
                .items()
                .getFirst();
        assertThat(h.engine.activeRuns()).isGreaterThanOrEqualTo(0);
        assertThat(run.trigger()).isEqualTo(Map.of("time", "2026-03-01T08:00:00Z"));
    }
}
