package dev.junction.engine.run;

import java.time.Instant;

/**
 * Filters for listing runs, newest first. Null filters match everything; {@code deadLetters}
 * keeps only failed runs that were not replayed yet; {@code errorCode} matches the run's error;
 * {@code cursor} is the id of the last run of the previous page; {@code limit} is 1 to 1000.
 */
public record RunQuery(
        String flowId,
        RunStatus status,
        Instant since,
        Instant until,
        String errorCode,
        boolean deadLetters,
        String cursor,
        int limit) {
    public RunQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be from 1 to 1000, was " + limit);
        }
    }

    public RunQuery(String flowId, RunStatus status, Instant since, Instant until, String cursor, int limit) {
        this(flowId, status, since, until, null, false, cursor, limit);
    }
}
