package dev.junction.engine.run;

/**
 * Filters for listing runs, newest first. Null filters match everything; {@code cursor} is the id
 * of the last run of the previous page; {@code limit} is 1 to 500.
 */
public record RunQuery(
        String flowId, RunStatus status, java.time.Instant since, java.time.Instant until, String cursor, int limit) {
    public RunQuery {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be from 1 to 500, was " + limit);
        }
    }
}
