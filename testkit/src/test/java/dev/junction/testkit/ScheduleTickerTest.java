package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.memory.InMemoryScheduleStore;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.schedule.ScheduleTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTickerTest {
    private final EngineHarness h = new EngineHarness(Map.of());
    private final InMemoryScheduleStore slots = new InMemoryScheduleStore();
    private final ScheduleTicker ticker = ticker("node-a");

    private ScheduleTicker ticker(String node) {
        return new ScheduleTicker(h.flows, h.engine, slots, h.runs, node, h.clock);
    }

    private int runsOf(String flow) {
        return h.runs.list("default", new RunQuery(flow, null, null, null, null, 100))
                .items()
                .size();
    }

    private void deployHourly(String id, String misfire) {
        h.deploy("""
                id: %s
                trigger: { type: schedule, every: 1h%s }
                steps: [ { id: a, type: map, expression: "trigger" } ]
                """.formatted(id, misfire == null ? "" : ", misfire: " + misfire));
    }

    @Test
    void aScheduleMissedWhileDownFiresOnceAtStartUpByDefault() {
        deployHourly("hourly", null);
        ticker.tick();
        h.clock.advance(Duration.ofHours(5).plusMinutes(30)); // down for five fire times
        ScheduleTicker afterRestart = ticker("node-a");
        assertThat(afterRestart.tick()).isEqualTo(1);
        Run run = h.runs.list("default", new RunQuery("hourly", null, null, null, null, 10))
                .items()
                .getFirst();
        assertThat(run.trigger()).isEqualTo(Map.of("time", "2026-03-01T15:00:00Z", "missed", 5));
        assertThat(afterRestart.tick()).isZero();
        h.clock.advance(Duration.ofHours(1));
        assertThat(afterRestart.tick()).isEqualTo(1);
    }

    @Test
    void misfirePolicySkipAndAll() {
        deployHourly("skipper", "skip");
        deployHourly("catcher", "all");
        ticker.tick();
        h.clock.advance(Duration.ofHours(3).plusMinutes(10));
        ticker.tick();
        assertThat(runsOf("skipper")).isZero();
        assertThat(runsOf("catcher")).isEqualTo(3);
    }

    @Test
    void onlyTheNodeHoldingTheScheduleDutyFires() {
        h.deploy("""
                id: single
                trigger: { type: schedule, every: 10s }
                steps: [ { id: a, type: map, expression: "trigger" } ]
                """);
        ScheduleTicker other = ticker("node-b");
        ticker.tick();
        h.clock.advance(Duration.ofSeconds(10));
        assertThat(other.tick()).isZero();
        assertThat(ticker.tick()).isEqualTo(1);
        h.clock.advance(Duration.ofSeconds(31)); // node-a stopped ticking: its duty lease lapses
        assertThat(other.tick()).isEqualTo(1);
        assertThat(runsOf("single")).isEqualTo(2);
    }

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
