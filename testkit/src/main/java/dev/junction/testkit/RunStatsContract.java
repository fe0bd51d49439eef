package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.port.RunStats;
import dev.junction.engine.port.RunStats.ConnectionActivity;
import dev.junction.engine.port.RunStats.ErrorCount;
import dev.junction.engine.port.RunStats.Hour;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.StepAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStats} must answer. A backend's test extends this and supplies the figures
 * and the work queue writing the runs they read. Each test works in a private day of its own, whole
 * hours far in the future of other suites' runs, so a shared database is fine.
 */
public abstract class RunStatsContract {
    private static final String WS = "default";

    /** The figures under test. */
    protected abstract RunStats stats();

    /** The work queue writing the runs and attempts the figures read. */
    protected abstract WorkQueue queue();

    private final Instant day = Instant.parse("2200-01-01T00:00:00Z")
            .plus(Duration.ofHours(ThreadLocalRandom.current().nextLong(700_000)));
    private final String flow = "flow-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger ids = new AtomicInteger();

    private Instant at(long hours, long millis) {
        return day.plus(Duration.ofHours(hours)).plusMillis(millis);
    }

    /** A run created at {@code created}, running and leased by this test. */
    private Run running(String flowId, Instant created) {
        String id = String.format("%012x", created.toEpochMilli())
                + String.format("%04d", ids.incrementAndGet())
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Run run = Run.queued(WS, id, flowId, 1, "manual", Map.of(), null, created, null);
        return queue().admit(new WorkQueue.Admit(run, 0, List.of(), null, "stats-node", created.plusSeconds(3600)))
                .run();
    }

    private void succeeded(Instant created, long tookMillis) {
        Run run = running(flow, created);
        queue().save(run.succeeded(null, created.plusMillis(tookMillis)), "stats-node");
    }

    private void failed(String flowId, Instant created, String code, String message) {
        Run run = running(flowId, created);
        queue().save(run.failed(new RunError(code, message, "push"), created.plusMillis(5)), "stats-node");
    }

    private void attempt(Run run, int seq, String connection, AttemptStatus status, Instant started, long took) {
        queue().checkpoint(
                        new StepAttempt(
                                WS,
                                run.id(),
                                seq,
                                "push",
                                "push",
                                "http",
                                1,
                                status,
                                null,
                                null,
                                status == AttemptStatus.FAILED ? new RunError("HTTP_5XX", "boom", "push") : null,
                                started,
                                started.plusMillis(took),
                                connection),
                        "stats-node");
    }

    @Test
    void countsRunsPerHourWithOutcomesAndLatencyPercentiles() {
        succeeded(at(0, 1), 100);
        succeeded(at(0, 2), 200);
        Run slow = running(flow, at(0, 3));
        queue().save(slow.failed(new RunError("TIMEOUT", "slow", "push"), at(0, 3).plusMillis(300)), "stats-node");
        running(flow, at(2, 0)); // unfinished: counted, no outcome, no duration
        succeeded(at(-1, 0), 50); // before the window
        succeeded(at(24, 0), 50); // at its end (exclusive)

        List<Hour> hours = stats().hourly(WS, day, at(24, 0));

        assertThat(hours).containsExactly(new Hour(day, 3, 2, 1, 200L, 300L), new Hour(at(2, 0), 1, 0, 0, null, null));
    }

    @Test
    void topErrorsGroupFailuresByCodeAndFlowMostFrequentFirst() {
        String other = flow + "-b";
        failed(flow, at(1, 0), "HTTP_5XX", "502 from crm");
        failed(flow, at(3, 0), "HTTP_5XX", "503 from crm");
        failed(other, at(2, 0), "TIMEOUT", "no answer in 30s");
        failed(flow, at(-2, 0), "AUTH", "too old to count");
        succeeded(at(1, 5), 10);

        List<ErrorCount> errors = stats().topErrors(WS, day, 10).stream()
                .filter(e -> e.flowId().startsWith(flow))
                .toList();

        assertThat(errors)
                .containsExactly(
                        new ErrorCount("HTTP_5XX", flow, "503 from crm", 2, at(3, 0)),
                        new ErrorCount("TIMEOUT", other, "no answer in 30s", 1, at(2, 0)));
    }

    @Test
    void connectionActivityCountsTheAttemptsThatCalledIt() {
        String crm = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        String idle = crm + "-idle";
        Run run = running(flow, at(-2, 0));
        attempt(run, 1, crm, AttemptStatus.SUCCEEDED, at(-1, 0), 999); // before the window
        attempt(run, 2, crm, AttemptStatus.SUCCEEDED, at(1, 0), 10);
        attempt(run, 3, crm, AttemptStatus.FAILED, at(2, 0), 50);
        attempt(run, 4, crm, AttemptStatus.SKIPPED, at(3, 0), 0);
        attempt(run, 5, null, AttemptStatus.SUCCEEDED, at(4, 0), 70); // used no connection
        attempt(run, 6, crm, AttemptStatus.SUCCEEDED, at(20, 0), 30);

        List<ConnectionActivity> activity = stats().connections(WS, List.of(idle, crm), day, at(12, 0));

        assertThat(activity)
                .containsExactly(
                        new ConnectionActivity(idle, null, 0, 0, 0, null),
                        new ConnectionActivity(crm, at(20, 0), 3, 2, 1, 50L));
        assertThat(activity.get(1).successRate()).isEqualTo(2.0 / 3);
        assertThat(activity.get(0).successRate()).isNull();
    }

    @Test
    void anotherWorkspaceSeesNoFigures() {
        String crm = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        Run run = running(flow, at(1, 0));
        attempt(run, 1, crm, AttemptStatus.SUCCEEDED, at(1, 0), 10);
        failed(flow, at(1, 1), "HTTP_5XX", "boom");

        assertThat(stats().hourly("other", day, at(24, 0))).isEmpty();
        assertThat(stats().topErrors("other", day, 10)).isEmpty();
        assertThat(stats().connections("other", List.of(crm), day, day))
                .containsExactly(new ConnectionActivity(crm, null, 0, 0, 0, null));
    }
}
