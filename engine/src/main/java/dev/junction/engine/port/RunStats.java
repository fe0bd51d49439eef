package dev.junction.engine.port;

import java.time.Instant;
import java.util.List;

/**
 * Figures over the runs and step attempts of one workspace, for the dashboard: runs per hour with
 * their outcome and latency, the most frequent errors, and the activity of each connection. Every
 * method is scoped to one workspace. Counts are aggregated by the store; percentiles come from a
 * bounded sample of durations (at most {@link #SAMPLE} per hour or per connection, the newest), so
 * a busy workspace costs a bounded read. Implementations are thread-safe.
 */
public interface RunStats {
    /** The most durations one percentile is computed from. */
    int SAMPLE = 500;

    /**
     * The hours in {@code [since, until)} that have runs, oldest first, by the hour their runs were
     * created in (UTC, whole hours since the epoch).
     */
    List<Hour> hourly(String workspaceId, Instant since, Instant until);

    /**
     * Failed runs created since {@code since}, grouped by error code and flow, the most frequent
     * first (ties: the most recent first), at most {@code limit} groups.
     */
    List<ErrorCount> topErrors(String workspaceId, Instant since, int limit);

    /**
     * The activity of each of {@code connectionIds} (in that order) from the step attempts that
     * called it: the last attempt ever, and the attempts started since {@code since}, of which
     * those since {@code today} count as today's.
     */
    List<ConnectionActivity> connections(String workspaceId, List<String> connectionIds, Instant since, Instant today);

    /**
     * One hour: runs created in it, how many finished as succeeded and as failed, and the p50 and
     * p95 of the finished runs' durations ({@code started → ended}) in milliseconds, null when none
     * finished.
     */
    record Hour(Instant start, long runs, long succeeded, long failed, Long p50Millis, Long p95Millis) {}

    /** Failed runs of one flow with one error code (null: failed without one), with one message. */
    record ErrorCount(String code, String flowId, String message, long count, Instant last) {}

    /**
     * One connection's activity: {@code lastActivity} is null when no attempt ever called it; {@code
     * p95Millis} (of the attempts' durations in the window) is null when none did in the window.
     */
    record ConnectionActivity(
            String connectionId,
            Instant lastActivity,
            long attempts,
            long succeeded,
            long succeededToday,
            Long p95Millis) {

        /** Succeeded attempts as a share of all in the window, or null when there were none. */
        public Double successRate() {
            return attempts == 0 ? null : (double) succeeded / attempts;
        }
    }

    /**
     * The {@code p}-th percentile (0 < p ≤ 100) of {@code values} by the nearest-rank method, or
     * null when there are none. Sorts {@code values} in place.
     */
    static Long percentile(long[] values, double p) {
        if (values.length == 0) {
            return null;
        }
        java.util.Arrays.sort(values);
        int rank = (int) Math.ceil(p / 100.0 * values.length);
        return values[Math.max(0, Math.min(values.length, rank) - 1)];
    }
}
