package dev.junction.engine.run;

import java.time.Instant;

/**
 * One attempt of one step. {@code path} places it in the run: the step id, prefixed by the loop
 * iterations and branches it ran inside (for example {@code lines[2]/price}). {@code seq} orders
 * attempts within the run. Input and output are plain JSON values. {@code connectionId} is the
 * connection the step called ({@code connection:} of an {@code http} or {@code call} step), null
 * for steps that use none and for checkpoints a replay copied (they did not call it again); the
 * dashboard's per-connection activity is counted from it.
 */
public record StepAttempt(
        String workspaceId,
        String runId,
        int seq,
        String stepId,
        String path,
        String stepType,
        int attempt,
        AttemptStatus status,
        Object input,
        Object output,
        RunError error,
        Instant startedAt,
        Instant endedAt,
        String connectionId) {}
