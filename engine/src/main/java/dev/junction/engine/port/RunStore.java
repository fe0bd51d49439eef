package dev.junction.engine.port;

import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.StepAttempt;
import java.util.List;
import java.util.Optional;

/**
 * Reading runs and their step attempts. Every method is scoped to one workspace; an id of another
 * workspace behaves as if it did not exist. Runs are written through the {@link WorkQueue}.
 */
public interface RunStore {

    Optional<Run> find(String workspaceId, String runId);

    Page<Run> list(String workspaceId, RunQuery query);

    /** A run's attempts in {@code seq} order. */
    List<StepAttempt> attempts(String workspaceId, String runId);
}
