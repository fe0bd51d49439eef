package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.Replays;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Timers as data, parking, leases, cancel, replay and concurrency limits, on a fake clock. */
class DurableExecutionTest {
    private final EngineHarness h = new EngineHarness(Map.of());

    /** Waits for the engine's worker threads to reach a state (they run asynchronously). */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 10s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private RunStatus status(Run run) {
        return h.runs.find("default", run.id()).orElseThrow().status();
    }

    private static final String HOURLY_WAIT = """
            id: waiter
            trigger: { type: manual }
            steps:
              - { id: first, type: map, expression: "'before'" }
              - { id: pause, type: delay, duration: 1h }
              - { id: last, type: map, expression: "'after ' & steps.first.output" }
            """;

    private static final String QUICK = """
            id: quick
            trigger: { type: manual }
            steps:
              - { id: only, type: map, expression: "'done'" }
            """;

    /** A flow whose caller waits for its answer. */
    private static final String ANSWERING = """
            id: answering
            trigger: { type: manual }
            steps:
              - { id: only, type: map, expression: "'done'" }
              - { id: answer, type: respond, status: 200, body: "{{ steps.only.output }}" }
            """;

    /**
     * The in-memory queue, except that admissions become durable when {@code durable} completes
     * and {@code finishing} counts down when a run writes its end.
     */
    private static UnaryOperator<WorkQueue> slowDisk(CompletableFuture<Void> durable, CountDownLatch finishing) {
        return queue -> (WorkQueue) Proxy.newProxyInstance(
                WorkQueue.class.getClassLoader(), new Class<?>[] {WorkQueue.class}, (proxy, method, args) -> {
                    Object out;
                    try {
                        out = method.invoke(queue, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (out instanceof WorkQueue.Admission admission) {
                        return admission.withDurable(durable);
                    }
                    if (method.getName().equals("finish") || method.getName().equals("save")) {
                        finishing.countDown();
                    }
                    return out;
                });
    }

    /** An admission that is committed before it is power-safe (SQLite while its WAL is synced). */
    @Nested
    class AdmissionSyncedAfterItsCommit {
        private final CompletableFuture<Void> durable = new CompletableFuture<>();
        private final CountDownLatch finishing = new CountDownLatch(1);
        private final EngineHarness disk = new EngineHarness(slowDisk(durable, finishing));

        @BeforeEach
        void deploy() {
            disk.deploy(QUICK);
            disk.deploy(ANSWERING);
        }

        @Test
        void aRunWhoseCallerWaitsForItsAnswerStartsAtTheCommitButIsAcknowledgedOnlyOnceDurable() throws Exception {
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<FlowEngine.RunHandle> started = callers.submit(() -> disk.start("answering", Map.of()));
                try {
                    assertThat(finishing.await(10, TimeUnit.SECONDS))
                            .as("the run executes while its admission is being synced")
                            .isTrue();
                    assertThat(started.isDone())
                            .as("nobody is told before it is durable")
                            .isFalse();
                } finally {
                    durable.complete(null); // lets the caller's thread end whatever happened
                }

                FlowEngine.RunHandle handle = started.get(10, TimeUnit.SECONDS);
                assertThat(handle.answer().get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
                assertThat(handle.finished().get(10, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"quick", "answering"})
        void anAdmissionThatCannotBeMadeDurableIsRefusedToItsCallerAndItsRunGoesOn(String flow) throws Exception {
            durable.completeExceptionally(new JunctionException(ErrorCode.UNAVAILABLE, "the disk failed"));

            assertThatThrownBy(() -> disk.start(flow, Map.of()))
                    .isInstanceOfSatisfying(
                            JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(finishing.await(10, TimeUnit.SECONDS)).isTrue(); // committed: a retry finds it by its key
        }
    }

    @Test
    void aLongDelayParksTheRunAndAnyNodeResumesItWhenDue() {
        h.deploy(HOURLY_WAIT);
        Run run = h.start("waiter", Map.of()).run();
        await(() -> status(run) == RunStatus.WAITING && h.engine.activeRuns() == 0);
        assertThat(h.runs.timers("default", run.id())).containsKey("pause");
        assertThat(h.engine.dispatch()).isZero();

        EngineHarness restarted = h.node("node-a"); // the same node after a restart
        h.clock.advance(Duration.ofMinutes(59));
        assertThat(restarted.engine.dispatch()).isZero();
        h.clock.advance(Duration.ofMinutes(1));
        assertThat(restarted.engine.dispatch()).isEqualTo(1);
        await(() -> status(run) == RunStatus.SUCCEEDED);
        Run done = h.runs.find("default", run.id()).orElseThrow();
        assertThat(done.output()).isEqualTo("after before");
        assertThat(h.attempts(done)).extracting(StepAttempt::stepId).containsExactly("first", "pause", "last");
        assertThat(h.runs.timers("default", run.id())).isEmpty();
    }

    @Test
    void retryBackOffsAreTimersThatSurviveARestart() {
        h.deploy("""
                id: flaky
                trigger: { type: manual }
                steps:
                  - id: call
                    type: http
                    url: http://127.0.0.1:1/unreachable
                    retry: { maxAttempts: 3, initialDelay: 10s, multiplier: 2, jitter: 0 }
                """);
        Run run = h.start("flaky", Map.of()).run();
        await(() -> status(run) == RunStatus.WAITING);
        assertThat(h.runs.timers("default", run.id())).containsKey("call#2");
        EngineHarness restarted = h.node("node-a");
        h.clock.advance(Duration.ofSeconds(10));
        restarted.engine.dispatch();
        // parked, and its execution over: a claim by the same engine before that is refused as a
        // second execution of the run, which then waits out its lease
        await(() -> h.runs.timers("default", run.id()).containsKey("call#3")
                && status(run) == RunStatus.WAITING
                && restarted.engine.activeRuns() == 0);
        assertThat(h.runs.timers("default", run.id()).get("call#3"))
                .isEqualTo(h.runs.timers("default", run.id()).get("call#2").plusSeconds(20));
        h.clock.advance(Duration.ofSeconds(20));
        restarted.engine.dispatch();
        await(() -> status(run) == RunStatus.FAILED);
        assertThat(h.attempts(run))
                .extracting(StepAttempt::attempt, StepAttempt::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, AttemptStatus.FAILED),
                        org.assertj.core.groups.Tuple.tuple(2, AttemptStatus.FAILED),
                        org.assertj.core.groups.Tuple.tuple(3, AttemptStatus.FAILED));
        assertThat(h.runs.find("default", run.id()).orElseThrow().error().code())
                .isEqualTo("CONNECTION");
    }

    @Test
    void aRunLeftByADeadNodeIsTakenOverAfterItsLeaseAndSkipsCompletedCheckpoints() {
        h.deploy("""
                id: takeover
                trigger: { type: manual }
                steps:
                  - { id: a, type: map, expression: "1" }
                  - { id: b, type: map, expression: "steps.a.output + 1" }
                """);
        Run run = Run.queued(
                "default", "0000000000dead", "takeover", 1, "manual", Map.of(), null, h.clock.instant(), null);
        h.runs.admit(new WorkQueue.Admit(
                run, 0, List.of(), null, "dead-node", h.clock.instant().plusSeconds(30)));
        h.runs.checkpoint(
                new StepAttempt(
                        "default",
                        run.id(),
                        1,
                        "a",
                        "a",
                        "map",
                        1,
                        AttemptStatus.SUCCEEDED,
                        null,
                        41,
                        null,
                        h.clock.instant(),
                        h.clock.instant(),
                        null),
                "dead-node");
        EngineHarness survivor = h.node("node-b");
        assertThat(survivor.engine.dispatch()).isZero();
        h.clock.advance(Duration.ofSeconds(31));
        assertThat(survivor.engine.dispatch()).isEqualTo(1);
        await(() -> status(run) == RunStatus.SUCCEEDED);
        assertThat(h.runs.find("default", run.id()).orElseThrow().output()).isEqualTo(42);
        assertThat(h.attempts(run)).extracting(StepAttempt::stepId).containsExactly("a", "b");
        assertThat(h.runs.checkpoint(
                        new StepAttempt(
                                "default",
                                run.id(),
                                9,
                                "x",
                                "x",
                                "map",
                                1,
                                AttemptStatus.SUCCEEDED,
                                null,
                                0,
                                null,
                                h.clock.instant(),
                                h.clock.instant(),
                                null),
                        "dead-node"))
                .isFalse();
    }

    @Test
    void cancelStopsAWaitingRunAndRefusesAFinishedOne() {
        h.deploy(HOURLY_WAIT);
        Run run = h.start("waiter", Map.of()).run();
        await(() -> status(run) == RunStatus.WAITING && h.engine.activeRuns() == 0);
        assertThat(h.engine.cancel("default", run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        h.clock.advance(Duration.ofHours(2));
        assertThat(h.engine.dispatch()).isZero();
        assertThatThrownBy(() -> h.engine.cancel("default", run.id()))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_FINISHED));
        assertThatThrownBy(() -> h.engine.cancel("default", "nope"))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_NOT_FOUND));
    }

    @Test
    void replayFromTheFailedStepOnTheLatestVersionReusesEarlierCheckpoints() {
        h.deploy("""
                id: fixme
                trigger: { type: manual }
                steps:
                  - { id: a, type: map, expression: "trigger.body.n * 2" }
                  - { id: b, type: fail, code: BROKEN, message: "not yet" }
                """);
        Run failed = h.start("fixme", Map.of("n", 21)).finished().join();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        h.deploy("""
                id: fixme
                trigger: { type: manual }
                steps:
                  - { id: a, type: map, expression: "trigger.body.n * 2" }
                  - { id: b, type: map, expression: "steps.a.output + 1" }
                """);
        var handle =
                h.engine.replays().replay("default", failed.id(), Replays.From.FAILED_STEP, Replays.Version.LATEST);
        Run replayed = handle.finished().join();
        assertThat(replayed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(replayed.output()).isEqualTo(43);
        assertThat(replayed.flowVersion()).isEqualTo(2);
        assertThat(replayed.replayOf()).isEqualTo(failed.id());
        assertThat(h.attempts(replayed)).extracting(StepAttempt::stepId).containsExactly("a", "b");
        assertThat(h.runs.find("default", failed.id()).orElseThrow().replayedBy())
                .isEqualTo(replayed.id());

        assertThatThrownBy(() -> h.engine
                        .replays()
                        .replay("default", replayed.id(), Replays.From.FAILED_STEP, Replays.Version.ORIGINAL))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REPLAY_INVALID));
        h.deploy("""
                id: fixme
                trigger: { type: manual }
                steps:
                  - { id: b, type: map, expression: "0" }
                """);
        assertThatThrownBy(() -> h.engine
                        .replays()
                        .replay("default", failed.id(), Replays.From.FAILED_STEP, Replays.Version.LATEST))
                .isInstanceOfSatisfying(JunctionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REPLAY_MISMATCH);
                    assertThat(e.getMessage()).contains("[a]");
                });
        assertThat(h.engine
                        .replays()
                        .replay("default", failed.id(), Replays.From.START, Replays.Version.LATEST)
                        .finished()
                        .join()
                        .output())
                .isEqualTo(0);
        assertThatThrownBy(
                        () -> h.engine.replays().replay("default", "nope", Replays.From.START, Replays.Version.LATEST))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RUN_NOT_FOUND));
    }

    @Test
    void extraRunsQueueBehindTheConcurrencyLimitInOrderOfArrival() {
        h.deploy("""
                id: one-at-a-time
                trigger: { type: manual }
                concurrency: { limit: 1 }
                steps:
                  - { id: pause, type: delay, duration: 1h }
                """);
        Run first = h.start("one-at-a-time", Map.of()).run();
        Run second = h.start("one-at-a-time", Map.of()).run();
        Run third = h.start("one-at-a-time", Map.of()).run();
        await(() -> status(first) == RunStatus.WAITING && h.engine.activeRuns() == 0);
        assertThat(status(second)).isEqualTo(RunStatus.QUEUED);
        assertThat(status(third)).isEqualTo(RunStatus.QUEUED);
        assertThat(h.engine.dispatch()).isZero();
        h.clock.advance(Duration.ofHours(1));
        h.engine.dispatch();
        await(() -> status(first) == RunStatus.SUCCEEDED && status(second) == RunStatus.WAITING);
        assertThat(status(third)).isEqualTo(RunStatus.QUEUED);
    }
}
