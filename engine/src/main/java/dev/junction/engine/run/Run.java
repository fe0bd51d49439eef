package dev.junction.engine.run;

import java.time.Instant;

/**
 * One execution of one flow version. {@code trigger} is the event that started it (a plain JSON
 * value); {@code output} is the last step's output once it succeeded, {@code error} why it failed.
 * {@code replayOf} names the run this one replays; {@code replayedBy} the newest replay of this one.
 */
public record Run(
        String workspaceId,
        String id,
        String flowId,
        int flowVersion,
        RunStatus status,
        String triggerType,
        Object trigger,
        String idempotencyKey,
        Object output,
        RunError error,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        String replayOf,
        String replayedBy) {

    /** A new QUEUED run. */
    public static Run queued(
            String workspaceId,
            String id,
            String flowId,
            int flowVersion,
            String triggerType,
            Object trigger,
            String idempotencyKey,
            Instant createdAt,
            String replayOf) {
        return new Run(
                workspaceId,
                id,
                flowId,
                flowVersion,
                RunStatus.QUEUED,
                triggerType,
                trigger,
                idempotencyKey,
                null,
                null,
                createdAt,
                null,
                null,
                replayOf,
                null);
    }

    public Run started(Instant at) {
        return with(RunStatus.RUNNING, null, null, startedAt == null ? at : startedAt, null);
    }

    public Run withStatus(RunStatus next) {
        return with(next, output, error, startedAt, endedAt);
    }

    public Run succeeded(Object result, Instant at) {
        return with(RunStatus.SUCCEEDED, result, null, startedAt, at);
    }

    public Run failed(RunError why, Instant at) {
        return with(RunStatus.FAILED, null, why, startedAt, at);
    }

    public Run cancelled(Instant at) {
        return with(RunStatus.CANCELLED, null, new RunError("CANCELLED", "the run was cancelled", null), startedAt, at);
    }

    private Run with(RunStatus s, Object out, RunError err, Instant started, Instant ended) {
        return new Run(
                workspaceId,
                id,
                flowId,
                flowVersion,
                s,
                triggerType,
                trigger,
                idempotencyKey,
                out,
                err,
                createdAt,
                started,
                ended,
                replayOf,
                replayedBy);
    }
}
