package dev.junction.engine.port;

import dev.junction.engine.run.Run;
import dev.junction.engine.run.StepAttempt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable work: which runs are due, which node executes them, and their timers. A node holds a
 * run's <em>lease</em> while it executes it and renews it while alive; a run whose lease has
 * expired belongs to whichever node claims it next, and resumes from its checkpoints. Every write
 * an execution makes is <em>fenced</em>: it only lands while the writing node holds the lease and
 * the run is unfinished, so a node that lost its lease (or a cancelled run) cannot overwrite newer
 * state. Waits are rows with a due time: a run waiting for a delay or a retry back-off is parked
 * (no lease, due at a time) and claimed again when due, by any node, after any restart.
 *
 * <p>Workspace scoping: the methods that name a run take its workspace; {@link #claim}, {@link
 * #renew} and {@link #prune} work across workspaces because they serve the nodes, not a user.
 */
public interface WorkQueue {

    /**
     * A run to store. {@code concurrencyLimit} (0 = none) caps how many runs of its flow are active
     * (RUNNING or WAITING) at once; extra runs stay QUEUED in order of arrival. {@code checkpoints}
     * are finished attempts the run starts from (a replay). {@code replayOf} names the run being
     * replayed, which is then marked as replayed. {@code node} asks for the lease: when the run may
     * start at once it is stored RUNNING, leased to {@code node} and due when the lease ends at
     * {@code leaseUntil}; otherwise QUEUED and due now.
     */
    record Admit(
            Run run,
            int concurrencyLimit,
            List<StepAttempt> checkpoints,
            String replayOf,
            String node,
            Instant leaseUntil) {
        public Admit {
            checkpoints = List.copyOf(checkpoints);
        }
    }

    /**
     * The outcome of {@link #admit}: the run as stored (or, for a repeated idempotency key, the
     * original run with {@code created = false}), whether the caller now holds its lease, and when
     * the admission survives a power loss: {@code durable} completes then, or fails (with a {@code
     * JunctionException}) when that cannot be known.
     */
    record Admission(Run run, boolean created, boolean leased, CompletableFuture<Void> durable) {
        /** An admission that was power-safe when it was committed. */
        public Admission(Run run, boolean created, boolean leased) {
            this(run, created, leased, CompletableFuture.completedFuture(null));
        }

        public Admission withDurable(CompletableFuture<Void> when) {
            return new Admission(run, created, leased, when);
        }
    }

    /**
     * Stores a new run, atomically with its idempotency check and concurrency admission. Returns
     * once it is committed, which may be before it is power-safe: nobody may be told that the event
     * was accepted before {@link Admission#durable} completes, but the run may start executing.
     */
    Admission admit(Admit admit);

    /**
     * Claims up to {@code limit} runnable runs for {@code node}, oldest due first: unfinished and
     * due. A leased run is due when its lease ends, so live leases — also {@code node}'s own — are
     * never claimed, and a run whose node died becomes claimable when its lease expires. QUEUED
     * runs are claimed only while their flow is under its concurrency limit; claimed runs become
     * RUNNING, leased to {@code node} until {@code leaseUntil}.
     */
    List<Run> claim(String node, Instant now, Instant leaseUntil, int limit);

    /**
     * Claims the oldest due QUEUED run of one flow when the flow is under its concurrency limit —
     * what a node does when one of the flow's runs has just finished, without scanning the queue.
     */
    Optional<Run> claimNext(String workspaceId, String flowId, String node, Instant now, Instant leaseUntil);

    /**
     * Sets every lease {@code node} holds to end at {@code until} (and the run to be due then);
     * returns how many. With {@code until} = now it hands the node's runs back to the queue.
     */
    int renew(String node, Instant until);

    /** Stores a finished attempt (the step's checkpoint); false when fenced off. */
    boolean checkpoint(StepAttempt attempt, String node);

    /**
     * Stores the run's status, output, error and times; false when fenced off. A finished run
     * releases its lease and timers.
     */
    boolean save(Run run, String node);

    /**
     * Stores the attempt of the run's last step and the finished run in one write, what {@link
     * #checkpoint} then {@link #save} would do; false, and neither stored, when fenced off. For a
     * run whose last step needs no write of its own: no step follows it.
     */
    boolean finish(StepAttempt last, Run run, String node);

    /** Parks a run until {@code due}: WAITING, lease released. False when fenced off. */
    boolean park(String workspaceId, String runId, String node, Instant due);

    /** Records that the wait named {@code key} of a run ends at {@code due}. */
    void setTimer(String workspaceId, String runId, String key, Instant due);

    /** The run's pending timers by key. */
    Map<String, Instant> timers(String workspaceId, String runId);

    /**
     * Cancels an unfinished run (status CANCELLED, lease and timers released). Returns the run as
     * it now is — already finished runs are returned unchanged — or empty when there is no such run.
     */
    Optional<Run> cancel(String workspaceId, String runId, Instant at);

    /**
     * Takes or extends the singleton duty {@code name} (a schedule ticker, retention) for {@code
     * node}: true when the node holds it until {@code until}, false while another node does.
     */
    boolean holdDuty(String name, String node, Instant now, Instant until);

    /** Deletes up to {@code limit} runs of the workspace that finished before {@code before}. */
    int prune(String workspaceId, Instant before, int limit);
}
