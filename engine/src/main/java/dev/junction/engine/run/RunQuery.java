package dev.junction.engine.run;

import java.time.Instant;
import java.util.Locale;

/**
 * Filters for listing runs, newest first. Null filters match everything; {@code deadLetters}
 * keeps only failed runs that were not replayed yet; {@code errorCode} matches the run's error;
 * {@code text} matches a run whose id, idempotency key or error code equals it or whose error
 * message contains it (ignoring case); {@code cursor} is the id of the last run of the previous
 * page; {@code limit} is 1 to 1000.
 */
public record RunQuery(
        String flowId,
        RunStatus status,
        Instant since,
        Instant until,
        String errorCode,
        boolean deadLetters,
        String text,
        String cursor,
        int limit) {
    public RunQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be from 1 to 1000, was " + limit);
        }
        if (text != null && text.isBlank()) {
            text = null;
        }
    }

    public RunQuery(
            String flowId,
            RunStatus status,
            Instant since,
            Instant until,
            String errorCode,
            boolean deadLetters,
            String cursor,
            int limit) {
        this(flowId, status, since, until, errorCode, deadLetters, null, cursor, limit);
    }

    /** Whether {@code text} selects this run (see {@link #text}); true when there is no text. */
    public boolean matchesText(Run run) {
        if (text == null) {
            return true;
        }
        return text.equals(run.id())
                || text.equals(run.idempotencyKey())
                || (run.error() != null
                        && (text.equals(run.error().code())
                                || (run.error().message() != null
                                        && run.error()
                                                .message()
                                                .toLowerCase(Locale.ROOT)
                                                .contains(text.toLowerCase(Locale.ROOT)))));
    }

    public RunQuery(String flowId, RunStatus status, Instant since, Instant until, String cursor, int limit) {
        this(flowId, status, since, until, null, false, cursor, limit);
    }
}
