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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} and {@link WorkQueue} must do. A backend's test extends this and
 * supplies one object implementing both. Tests isolate themselves by unique flow ids and, for
 * claims (which span workspaces), by a private moment far in the past that only their runs are due
 * at, so a shared database is fine.
 */
public abstract class RunStoreContract {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The store under test: the reading side. */
    protected abstract RunStore store();

    /** The work queue writing to the same runs. */
    protected abstract WorkQueue queue();

    /** Makes sure a second workspace exists (a backend with foreign keys needs its row). */
    protected void workspace(String id) {}

    private final String flow = "flow-" + UUID.randomUUID().toString().substring(0, 8);
    /** Node names of this test alone: the backends are shared by the tests of a class. */
    private final String nodeA = "node-a-" + flow;

    private final String nodeB = "node-b-" + flow;
    /** A moment only this test's claimable runs are due at. */
    private final Instant epoch = Instant.parse("1990-01-01T00:00:00Z")
            .plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(3000)))
            .plusMillis(ThreadLocalRandom.current().nextInt(86_400_000));

    /**
     * Backends are shared by the tests of a class: leases every run other tests left claimable to a
     * node that never comes back, so that this test's claims see only its own runs.
     */
    @org.junit.jupiter.api.BeforeEach
    void leaseAwayOtherTestsRuns() {
        Instant far = Instant.parse("2100-01-01T00:00:00Z");
        while (queue().claim("drained", far, far.plus(Duration.ofDays(365_000)), 1000)
                        .size()
                == 1000) {
            // keep draining
        }
    }

    private Run run(String id, String key, Instant created) {
        return Run.queued("default", id, flow, 1, "webhook", Map.of("body", Map.of("n", 1)), key, created, null);
    }

    private static String id(Instant at, int n) {
        return String.format("%012x", at.toEpochMilli() + n)
                + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    private WorkQueue.Admission admit(Run run, String node, int limit) {
        return queue().admit(new WorkQueue.Admit(
                run, limit, List.of(), null, node, run.createdAt().plusSeconds(30)));
    }

    private StepAttempt attempt(Run run, int seq, String step, AttemptStatus status) {
        return new StepAttempt(
                "default",
                run.id(),
                seq,
                step,
                step,
                "map",
                1,
                status,
                Map.of("in", seq),
                status == AttemptStatus.SUCCEEDED ? List.of(1, "two") : null,
                status == AttemptStatus.FAILED ? new RunError("TIMEOUT", "slow", step) : null,
                T0,
                T0.plusMillis(5),
                null);
    }

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
    void claimsDueRunsOncePerLeaseAndTakesOverExpiredLeases() {
        Instant now = epoch;
        Run a = run(id(now, 1), null, now.minusSeconds(5));
        Run b = run(id(now, 2), null, now.minusSeconds(4));
        admit(a, null, 0);
        admit(b, null, 0);
        List<Run> first = queue().claim(nodeA, now, now.plusSeconds(30), 10);
        assertThat(first).extracting(Run::id).containsExactly(a.id(), b.id());
        assertThat(first).allMatch(r -> r.status() == RunStatus.RUNNING);
        assertThat(queue().claim(nodeB, now.plusSeconds(10), now.plusSeconds(40), 10))
                .isEmpty();
        assertThat(queue().renew(nodeA, now.plusSeconds(60))).isGreaterThanOrEqualTo(2);
        assertThat(queue().claim(nodeB, now.plusSeconds(45), now.plusSeconds(75), 10))
                .isEmpty();
        List<Run> takenOver = queue().claim(nodeB, now.plusSeconds(61), now.plusSeconds(91), 10);
        assertThat(takenOver).extracting(Run::id).containsExactly(a.id(), b.id());
        assertThat(queue().checkpoint(attempt(a, 1, "x", AttemptStatus.SUCCEEDED), nodeA))
                .isFalse();
        assertThat(queue().checkpoint(attempt(a, 1, "x", AttemptStatus.SUCCEEDED), nodeB))
                .isTrue();
    }

    @Test
    void aNodeNeverClaimsItsOwnLiveRunsButTakesThemBackWhenItHandsThemBack() {
        Instant now = epoch;
        Run run = run(id(now, 1), null, now);
        admit(run, nodeA, 0);
        assertThat(queue().claim(nodeA, now.plusSeconds(1), now.plusSeconds(31), 10))
                .isEmpty();
        assertThat(queue().renew(nodeA, now.plusSeconds(2))).isEqualTo(1); // a restart hands them back
        assertThat(queue().claim(nodeA, now.plusSeconds(2), now.plusSeconds(32), 10))
                .extracting(Run::id)
                .containsExactly(run.id());
        assertThat(queue().checkpoint(attempt(run, 1, "x", AttemptStatus.SUCCEEDED), nodeA))
                .isTrue();
    }

    @Test
    void claimNextTakesTheFlowsOldestQueuedRunOnlyUnderItsLimit() {
        Instant now = epoch;
        Run first = run(id(now, 1), null, now.minusSeconds(3));
        Run second = run(id(now, 2), null, now.minusSeconds(2));
        Run third = run(id(now, 3), null, now.minusSeconds(1));
        Run running = admit(first, nodeA, 1).run();
        admit(second, nodeA, 1);
        admit(third, nodeA, 1);
        assertThat(queue().claimNext("default", flow, nodeB, now, now.plusSeconds(30)))
                .isEmpty();
        queue().save(running.succeeded(null, now), nodeA);
        assertThat(queue().claimNext("default", flow, nodeB, now, now.plusSeconds(30)))
                .get()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(second.id());
                    assertThat(r.status()).isEqualTo(RunStatus.RUNNING);
                });
        assertThat(queue().claimNext("default", flow, nodeB, now, now.plusSeconds(30)))
                .isEmpty();
        assertThat(queue().claimNext("other", flow, nodeB, now, now.plusSeconds(30)))
                .isEmpty();
    }

    @Test
    void aLongQueueBehindOneFlowsLimitDoesNotStarveOtherRuns() {
        Instant now = epoch;
        String limited = "limited-" + flow;
        Run active = Run.queued("default", id(now, 0), limited, 1, "manual", Map.of(), null, now.minusSeconds(1), null);
        admit(active, nodeA, 1);
        for (int i = 1; i <= 5; i++) {
            admit(
                    Run.queued(
                            "default",
                            id(now, i),
                            limited,
                            1,
                            "manual",
                            Map.of(),
                            null,
                            now.minusSeconds(60 - i),
                            null),
                    nodeA,
                    1);
        }
        Run other = run(id(now, 9), null, now.minusSeconds(1));
        admit(other, null, 0);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 3))
                .extracting(Run::id)
                .containsExactly(other.id());
    }

    @Test
    void aParkedRunIsClaimedWhenDueWithItsTimers() {
        Instant now = epoch;
        Run run = run(id(now, 1), null, now);
        admit(run, nodeA, 0);
        queue().setTimer("default", run.id(), "wait", now.plusSeconds(3600));
        assertThat(queue().park("default", run.id(), nodeA, now.plusSeconds(3600)))
                .isTrue();
        assertThat(store().find("default", run.id()).orElseThrow().status()).isEqualTo(RunStatus.WAITING);
        assertThat(queue().claim(nodeB, now.plusSeconds(3599), now.plusSeconds(3700), 10))
                .isEmpty();
        assertThat(queue().claim(nodeB, now.plusSeconds(3600), now.plusSeconds(3700), 10))
                .extracting(Run::id)
                .containsExactly(run.id());
        assertThat(queue().timers("default", run.id())).containsEntry("wait", now.plusSeconds(3600));
    }

    @Test
    void concurrencyLimitQueuesExtraRunsInOrderOfArrival() {
        Instant now = epoch;
        List<WorkQueue.Admission> admitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            admitted.add(admit(run(id(now, i), null, now.minusSeconds(10 - i)), nodeA, 2));
        }
        assertThat(admitted).extracting(WorkQueue.Admission::leased).containsExactly(true, true, false, false);
        assertThat(queue().claim(nodeA, now, now.plusSeconds(30), 10))
                .as("two are active, so the queued ones wait")
                .isEmpty();
        Run firstDone = admitted.get(0).run().succeeded(null, now);
        queue().save(firstDone, nodeA);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 10))
                .extracting(Run::id)
                .containsExactly(admitted.get(2).run().id());
    }

    @Test
    void aQueueBehindOneFlowsLimitLeavesOtherRunsClaimable() {
        Instant now = epoch;
        List<WorkQueue.Admission> limited = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            limited.add(admit(run(id(now, i), null, now.minusSeconds(20 - i)), nodeA, 1));
        }
        assertThat(limited).extracting(WorkQueue.Admission::leased).containsExactly(true, false, false);
        // queued after them: another flow without a limit, and the same flow id in another workspace
        Run unlimited = Run.queued(
                "default", id(now, 10), flow + "-b", 1, "webhook", Map.of(), null, now.minusSeconds(5), null);
        Run elsewhere = Run.queued("other", id(now, 11), flow, 1, "webhook", Map.of(), null, now.minusSeconds(3), null);
        workspace("other");
        admit(unlimited, null, 0);
        admit(elsewhere, null, 1);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 1))
                .extracting(Run::id)
                .containsExactly(unlimited.id());
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 10))
                .extracting(Run::id)
                .containsExactly(elsewhere.id());
        queue().save(limited.get(0).run().succeeded(null, now), nodeA);
        assertThat(queue().claim(nodeB, now, now.plusSeconds(30), 10))
                .extracting(Run::id)
                .containsExactly(limited.get(1).run().id());
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
