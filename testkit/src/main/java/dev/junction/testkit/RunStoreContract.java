package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link RunStore} must do. A backend's test extends this and supplies the store. */
public abstract class RunStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A store; runs are isolated by unique workspace-independent flow ids, so it may be shared. */
    protected abstract RunStore store();

    private final String flow = "flow-" + UUID.randomUUID().toString().substring(0, 8);

    private Run run(String id, String key) {
        return new Run(
                "default",
                id,
                flow,
                1,
                RunStatus.QUEUED,
                "webhook",
                Map.of("body", Map.of("n", 1)),
                key,
                null,
                null,
                T0,
                null,
                null);
    }

    private static String id(int n) {
        return String.format("%012x", T0.toEpochMilli() + n)
                + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    @Test
    void storesAndFindsARunWithItsTriggerEvent() {
        Run run = run(id(1), null);
        assertThat(store().create(run).created()).isTrue();
        assertThat(store().find("default", run.id())).contains(run);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheOriginalRun() {
        Run first = run(id(1), "order-1");
        store().create(first);
        RunStore.Creation again = store().create(run(id(2), "order-1"));
        assertThat(again.created()).isFalse();
        assertThat(again.run().id()).isEqualTo(first.id());
    }

    @Test
    void updatesStatusOutputAndError() {
        Run run = run(id(1), null);
        store().create(run);
        Run done = run.started(T0.plusSeconds(1)).failed(new RunError("HTTP_5XX", "boom", "push"), T0.plusSeconds(2));
        store().update(done);
        assertThat(store().find("default", run.id())).contains(done);
        assertThat(store().unfinished()).extracting(Run::id).doesNotContain(run.id());
    }

    @Test
    void recordsAttemptsInSequence() {
        Run run = run(id(1), null);
        store().create(run);
        StepAttempt second = new StepAttempt(
                "default",
                run.id(),
                2,
                "b",
                "b",
                "http",
                1,
                AttemptStatus.FAILED,
                Map.of("url", "x"),
                null,
                new RunError("TIMEOUT", "slow", "b"),
                T0,
                T0.plusMillis(5));
        StepAttempt first = new StepAttempt(
                "default",
                run.id(),
                1,
                "a",
                "a",
                "map",
                1,
                AttemptStatus.SUCCEEDED,
                null,
                List.of(1, "two"),
                null,
                T0,
                T0.plusMillis(1));
        store().record(second);
        store().record(first);
        assertThat(store().attempts("default", run.id())).containsExactly(first, second);
    }

    @Test
    void listsNewestFirstWithFiltersAndCursor() {
        for (int i = 1; i <= 5; i++) {
            Run r = run(id(i), null);
            store().create(i % 2 == 0 ? r.withStatus(RunStatus.SUCCEEDED) : r);
        }
        Page<Run> page1 = store().list("default", new RunQuery(flow, null, null, null, null, 2));
        assertThat(page1.items()).hasSize(2);
        assertThat(page1.nextCursor()).isNotNull();
        Page<Run> page2 = store().list("default", new RunQuery(flow, null, null, null, page1.nextCursor(), 2));
        Page<Run> page3 = store().list("default", new RunQuery(flow, null, null, null, page2.nextCursor(), 2));
        assertThat(page3.nextCursor()).isNull();
        List<String> all = new java.util.ArrayList<>();
        for (Page<Run> p : List.of(page1, page2, page3)) {
            p.items().forEach(r -> all.add(r.id()));
        }
        assertThat(all).hasSize(5).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(store().list("default", new RunQuery(flow, RunStatus.SUCCEEDED, null, null, null, 50))
                        .items())
                .hasSize(2);
    }

    @Test
    void anotherWorkspaceSeesNothing() {
        Run run = run(id(1), null);
        store().create(run);
        assertThat(store().find("other", run.id())).isEmpty();
        assertThat(store().list("other", new RunQuery(flow, null, null, null, null, 50))
                        .items())
                .isEmpty();
        assertThat(store().attempts("other", run.id())).isEmpty();
    }
}
