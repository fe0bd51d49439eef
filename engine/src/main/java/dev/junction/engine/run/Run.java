package dev.junction.engine.run;

import java.time.Instant;

/**
 * One execution of one flow version. {@code trigger} is the event that started it (a plain JSON
 * value); {@code output} is the last step's output once it succeeded, {@code error} why it failed.
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
        Instant endedAt) {

    public Run started(Instant at) {
        return new Run(
                workspaceId,
                id,
                flowId,
                flowVersion,
                RunStatus.RUNNING,
                triggerType,
                trigger,
                idempotencyKey,
                null,
                null,
                createdAt,
                at,
                null);
    }

    public Run withStatus(RunStatus next) {
        return new Run(
                workspaceId,
                id,
                flowId,
                flowVersion,
                next,
                triggerType,
                trigger,
                idempotencyKey,
                output,
                error,
                createdAt,
                startedAt,
                endedAt);
    }

    public Run succeeded(Object result, Instant at) {
        return new Run(
                workspaceId,
                id,
                flowId,
                flowVersion,
                RunStatus.SUCCEEDED,
                triggerType,
                trigger,
                idempotencyKey,
                result,
                null,
                createdAt,
                startedAt,
                at);
    }

    public Run failed(RunError why, Instant at) {
        return new Run(
                workspaceId,
                id,
                flowId,
                flowVersion,
                RunStatus.FAILED,
                triggerType,
                trigger,
                idempotencyKey,
                null,
                why,
                createdAt,
                startedAt,
                at);
    }
}
