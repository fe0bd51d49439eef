package dev.junction.testkit;

import dev.junction.engine.port.RunStore;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the {@link RunStore} and {@link WorkQueue} contracts share: the backend under test and runs
 * of one test's own. A backend's test supplies a {@link Backend}. Tests isolate
 * themselves by unique flow ids and, for claims (which span workspaces), by a private moment far in
 * the past that only their runs are due at, so a shared database is fine.
 */
public abstract class RunStoreFixtures {
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * A backend under test: its store (the reading side), the work queue writing to the same runs,
     * and how to make sure a second workspace exists (a backend with foreign keys needs its row).
     */
    public record Backend(RunStore store, WorkQueue queue, Consumer<String> workspaces) {}

    protected final String flow = "flow-" + UUID.randomUUID().toString().substring(0, 8);
    /** Node names of this test alone: the backends are shared by the tests of a class. */
    protected final String nodeA = "node-a-" + flow;

    protected final String nodeB = "node-b-" + flow;
    /** A moment only this test's claimable runs are due at. */
    protected final Instant epoch = Instant.parse("1990-01-01T00:00:00Z")
            .plus(Duration.ofDays(ThreadLocalRandom.current().nextInt(3000)))
            .plusMillis(ThreadLocalRandom.current().nextInt(86_400_000));

    private Backend backend;

    /** A backend for this test; asked once per test. */
    protected abstract Backend backend();

    private Backend current() {
        if (backend == null) {
            backend = backend();
        }
        return backend;
    }

    protected final RunStore store() {
        return current().store();
    }

    protected final WorkQueue queue() {
        return current().queue();
    }

    protected final void workspace(String id) {
        current().workspaces().accept(id);
    }

    /**
     * Backends are shared by the tests of a class: leases every run other tests left claimable to a
     * node that never comes back, so that this test's claims see only its own runs.
     */
    @BeforeEach
    void leaseAwayOtherTestsRuns() {
        Instant far = Instant.parse("2100-01-01T00:00:00Z");
        while (queue().claim("drained", far, far.plus(Duration.ofDays(365_000)), 1000)
                        .size()
                == 1000) {
            // keep draining
        }
    }

    protected Run run(String id, String key, Instant created) {
        return Run.queued("default", id, flow, 1, "webhook", Map.of("body", Map.of("n", 1)), key, created, null);
    }

    protected static String id(Instant at, int n) {
        return String.format("%012x", at.toEpochMilli() + n)
                + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    protected WorkQueue.Admission admit(Run run, String node, int limit) {
        return queue().admit(new WorkQueue.Admit(
                run, limit, List.of(), null, node, run.createdAt().plusSeconds(30)));
    }

    protected StepAttempt attempt(Run run, int seq, String step, AttemptStatus status) {
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
}
