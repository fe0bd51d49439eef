package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} and {@link WorkQueue} must do to store, fence, cancel, replay, prune,
 * list and isolate runs; claiming and concurrency limits are {@link ClaimContract}'s. A backend's
 * test extends this and supplies one object implementing both.
 */
public abstract class RunStoreContract extends RunStoreFixtures {
    @Test
    void storesAndFindsARunWithItsTriggerEvent() {
        Run run = run(id(T0, 1), null, T0);
        assertThat(admit(run, null, 0).created()).isTrue();
        assertThat(store().find("default", run.id())).contains(run);
    }

    @Test
    void aRunThatMayStartIsStoredRunningAndLeased() {
        Run run = run(id(T0, 1), null, T0);
        WorkQueue.Admission a = admit(run, nodeA, 0);
        assertThat(a.leased()).isTrue();
        assertThat(a.run().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(store().find("default", run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheOriginalRun() {
        Run first = run(id(T0, 1), "order-1", T0);
        admit(first, nodeA, 0);
        WorkQueue.Admission again = admit(run(id(T0, 2), "order-1", T0), nodeA, 0);
        assertThat(again.created()).isFalse();
        assertThat(again.leased()).isFalse();
        assertThat(again.run().id()).isEqualTo(first.id());
    }

    @Test
    void concurrentDuplicatesOfOneKeyCreateExactlyOneRun() throws Exception {
        List<Future<WorkQueue.Admission>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 16; i++) {
                int n = i;
                results.add(pool.submit(() -> admit(run(id(T0, n), "dup-key", T0), nodeA, 0)));
            }
        }
        int created = 0;
        java.util.Set<String> ids = ConcurrentHashMap.newKeySet();
        for (Future<WorkQueue.Admission> f : results) {
            created += f.get().created() ? 1 : 0;
            ids.add(f.get().run().id());
        }
        assertThat(created).isEqualTo(1);
        assertThat(ids).hasSize(1);
    }

    @Test
    void checkpointsAreFencedByTheLease() {
        Run run = run(id(T0, 1), null, T0);
        admit(run, nodeA, 0);
        StepAttempt second = attempt(run, 2, "b", AttemptStatus.FAILED);
        StepAttempt first = attempt(run, 1, "a", AttemptStatus.SUCCEEDED);
        assertThat(queue().checkpoint(second, nodeA)).isTrue();
        assertThat(queue().checkpoint(first, nodeA)).isTrue();
        assertThat(queue().checkpoint(attempt(run, 3, "c", AttemptStatus.SUCCEEDED), nodeB))
                .isFalse();
        assertThat(store().attempts("default", run.id())).containsExactly(first, second);
    }

    @Test
    void savingAFinishedRunReleasesItAndLaterWritesAreFenced() {
        Run run = run(id(T0, 1), null, T0);
        Run running = admit(run, nodeA, 0).run();
        Run done = running.failed(new RunError("HTTP_5XX", "boom", "push"), T0.plusSeconds(2));
        assertThat(queue().save(done, nodeB)).isFalse();
        assertThat(queue().save(done, nodeA)).isTrue();
        assertThat(store().find("default", run.id())).contains(done);
        assertThat(queue().save(running, nodeA)).isFalse();
        assertThat(queue().checkpoint(attempt(run, 1, "a", AttemptStatus.SUCCEEDED), nodeA))
                .isFalse();
    }

    @Test
    void finishingWritesTheLastAttemptWithTheRunOrNeither() {
        Run run = run(id(T0, 1), null, T0);
        Run running = admit(run, nodeA, 0).run();
        StepAttempt last = attempt(run, 1, "a", AttemptStatus.SUCCEEDED);
        Run done = running.succeeded(Map.of("total", 8), T0.plusSeconds(2));

        assertThat(queue().finish(last, done, nodeB)).isFalse();
        assertThat(store().attempts("default", run.id())).isEmpty();
        assertThat(store().find("default", run.id())).contains(running);

        assertThat(queue().finish(last, done, nodeA)).isTrue();
        assertThat(store().attempts("default", run.id())).containsExactly(last);
        assertThat(store().find("default", run.id())).contains(done);

        assertThat(queue().finish(attempt(run, 2, "b", AttemptStatus.SUCCEEDED), done, nodeA))
                .isFalse();
        assertThat(store().attempts("default", run.id())).containsExactly(last);
    }

    @Test
    void cancelStopsAnUnfinishedRunAndLeavesAFinishedOneAlone() {
        Run run = run(id(T0, 1), null, T0);
        admit(run, nodeA, 0);
        Run cancelled = queue().cancel("default", run.id(), T0.plusSeconds(1)).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(queue().checkpoint(attempt(run, 1, "a", AttemptStatus.SUCCEEDED), nodeA))
                .isFalse();
        assertThat(queue().cancel("default", run.id(), T0.plusSeconds(9)).orElseThrow())
                .isEqualTo(cancelled);
        assertThat(queue().cancel("other", run.id(), T0)).isEmpty();
    }

    @Test
    void aReplayStartsFromCopiedCheckpointsAndMarksTheOriginal() {
        Run original = run(id(T0, 1), null, T0);
        admit(original, nodeA, 0);
        queue().save(original.started(T0).failed(new RunError("HTTP_5XX", "x", "b"), T0), nodeA);
        Run replay = Run.queued("default", id(T0, 2), flow, 1, "webhook", null, null, T0, original.id());
        queue().admit(new WorkQueue.Admit(
                replay, 0, List.of(attempt(original, 1, "a", AttemptStatus.SUCCEEDED)), original.id(), null, null));
        assertThat(store().attempts("default", replay.id())).singleElement().satisfies(a -> {
            assertThat(a.runId()).isEqualTo(replay.id());
            assertThat(a.stepId()).isEqualTo("a");
        });
        assertThat(store().find("default", original.id()).orElseThrow().replayedBy())
                .isEqualTo(replay.id());
        assertThat(store().list("default", new RunQuery(flow, null, null, null, null, true, null, 50))
                        .items())
                .isEmpty();
    }

    @Test
    void aDutyIsHeldByOneNodeUntilItsLeaseExpires() {
        String duty = "duty-" + UUID.randomUUID();
        assertThat(queue().holdDuty(duty, nodeA, T0, T0.plusSeconds(30))).isTrue();
        assertThat(queue().holdDuty(duty, nodeB, T0.plusSeconds(10), T0.plusSeconds(40)))
                .isFalse();
        assertThat(queue().holdDuty(duty, nodeA, T0.plusSeconds(20), T0.plusSeconds(50)))
                .isTrue();
        assertThat(queue().holdDuty(duty, nodeB, T0.plusSeconds(51), T0.plusSeconds(81)))
                .isTrue();
    }

    @Test
    void pruneDeletesOnlyRunsFinishedBeforeTheCutOff() {
        String ws = "default";
        Run old = run(id(T0, 1), null, T0);
        Run recent = run(id(T0, 2), null, T0);
        Run open = run(id(T0, 3), null, T0);
        for (Run r : List.of(old, recent, open)) {
            admit(r, nodeA, 0);
        }
        queue().checkpoint(attempt(old, 1, "a", AttemptStatus.SUCCEEDED), nodeA);
        queue().save(old.started(T0).succeeded(1, T0.plusSeconds(10)), nodeA);
        queue().save(recent.started(T0).succeeded(1, T0.plusSeconds(1000)), nodeA);
        int pruned = 0;
        for (int n; (n = queue().prune(ws, T0.plusSeconds(100), 100)) > 0; ) {
            pruned += n;
        }
        assertThat(pruned).isGreaterThanOrEqualTo(1);
        assertThat(store().find(ws, old.id())).isEmpty();
        assertThat(store().attempts(ws, old.id())).isEmpty();
        assertThat(store().find(ws, recent.id())).isPresent();
        assertThat(store().find(ws, open.id())).isPresent();
    }

    @Test
    void listsNewestFirstWithFiltersAndCursor() {
        for (int i = 1; i <= 5; i++) {
            Run r = run(id(T0, i), null, T0);
            Run stored = admit(r, nodeA, 0).run();
            if (i % 2 == 0) {
                queue().save(stored.succeeded(null, T0), nodeA);
            }
        }
        Page<Run> page1 = store().list("default", new RunQuery(flow, null, null, null, null, 2));
        assertThat(page1.items()).hasSize(2);
        assertThat(page1.nextCursor()).isNotNull();
        Page<Run> page2 = store().list("default", new RunQuery(flow, null, null, null, page1.nextCursor(), 2));
        Page<Run> page3 = store().list("default", new RunQuery(flow, null, null, null, page2.nextCursor(), 2));
        assertThat(page3.nextCursor()).isNull();
        List<String> all = new ArrayList<>();
        for (Page<Run> p : List.of(page1, page2, page3)) {
            p.items().forEach(r -> all.add(r.id()));
        }
        assertThat(all).hasSize(5).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(store().list("default", new RunQuery(flow, RunStatus.SUCCEEDED, null, null, null, 50))
                        .items())
                .hasSize(2);
    }

    @Test
    void deadLettersAreFailedRunsNotYetReplayedFilteredByError() {
        Run failed = run(id(T0, 1), null, T0);
        Run ok = run(id(T0, 2), null, T0);
        admit(failed, nodeA, 0);
        admit(ok, nodeA, 0);
        queue().save(failed.started(T0).failed(new RunError("HTTP_5XX", "x", "b"), T0), nodeA);
        queue().save(ok.started(T0).succeeded(1, T0), nodeA);
        assertThat(store().list("default", new RunQuery(flow, null, null, null, null, true, null, 50))
                        .items())
                .extracting(Run::id)
                .containsExactly(failed.id());
        assertThat(store().list("default", new RunQuery(flow, null, null, null, "TIMEOUT", true, null, 50))
                        .items())
                .isEmpty();
    }

    @Test
    void textFindsARunByIdKeyErrorCodeOrPartOfItsMessageIgnoringCase() {
        Run timeout = run(id(T0, 1), "order-77", T0);
        Run refused = run(id(T0, 2), null, T0);
        Run literal = run(id(T0, 3), null, T0);
        admit(timeout, nodeA, 0);
        admit(refused, nodeA, 0);
        admit(literal, nodeA, 0);
        queue().save(timeout.started(T0).failed(new RunError("TIMEOUT", "ERP took too long", "push"), T0), nodeA);
        queue().save(refused.started(T0).failed(new RunError("HTTP_4XX", "Customer 42 unknown", "push"), T0), nodeA);
        queue().save(literal.started(T0).failed(new RunError("HTTP_5XX", "disk 100% full_now", "push"), T0), nodeA);

        assertThat(texts("unknown")).containsExactly(refused.id());
        assertThat(texts("customer 42")).containsExactly(refused.id());
        assertThat(texts("TIMEOUT")).containsExactly(timeout.id());
        assertThat(texts("order-77")).containsExactly(timeout.id());
        assertThat(texts(literal.id())).containsExactly(literal.id());
        assertThat(texts("100% full_")).containsExactly(literal.id()); // % and _ are not wildcards
        assertThat(texts("0%")).hasSize(1);
        assertThat(texts("erp_took")).isEmpty(); // would match "ERP took" if _ were a wildcard
        assertThat(store().list("other", new RunQuery(null, null, null, null, null, false, "unknown", null, 50))
                        .items())
                .isEmpty();
    }

    private List<String> texts(String text) {
        return store()
                .list("default", new RunQuery(flow, null, null, null, null, false, text, null, 50))
                .items()
                .stream()
                .map(Run::id)
                .toList();
    }

    @Test
    void anotherWorkspaceSeesNothing() {
        Run run = run(id(T0, 1), null, T0);
        admit(run, nodeA, 0);
        assertThat(store().find("other", run.id())).isEmpty();
        assertThat(store().list("other", new RunQuery(flow, null, null, null, null, 50))
                        .items())
                .isEmpty();
        assertThat(store().attempts("other", run.id())).isEmpty();
        assertThat(queue().park("other", run.id(), nodeA, T0)).isFalse();
    }
}
