package dev.junction.engine.port;

import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.StepAttempt;
import java.util.List;
import java.util.Optional;

/**
 * Runs and their step attempts. Every method is scoped to one workspace; an id of another
 * workspace behaves as if it did not exist. Writes are durable when the method returns.
 */
public interface RunStore {

    /**
     * Stores a new run, unless a run of the same flow already carries its idempotency key: then
     * nothing is written and that earlier run is returned with {@code created = false}.
     */
    Creation create(Run run);

    /** Replaces the run's status, output, error and timestamps. */
    void update(Run run);

    Optional<Run> find(String workspaceId, String runId);

    Page<Run> list(String workspaceId, RunQuery query);

    /** Stores a finished attempt (the step's checkpoint). */
    void record(StepAttempt attempt);

    /** A run's attempts in {@code seq} order. */
    List<StepAttempt> attempts(String workspaceId, String runId);

    /** Runs of every workspace that are not finished, oldest first (for resumption at start-up). */
    List<Run> unfinished();

    record Creation(Run run, boolean created) {}
}
