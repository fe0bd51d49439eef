package dev.junction.store;

import dev.junction.engine.port.RunStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's figures on SQLite or PostgreSQL, in portable SQL: counts are aggregated in the
 * database by whole hours of {@code created_at} (epoch milliseconds divided by 3,600,000, an integer
 * division on both); percentiles come from at most {@link #SAMPLE} of the newest durations per hour
 * ({@code ROW_NUMBER()} over each hour) or per connection. Every statement filters on the
 * workspace.
 */
public final class JdbcRunStats implements RunStats {
    private static final long HOUR = 3_600_000L;

    private static final String HOURS = """
            SELECT created_at / 3600000 AS bucket, COUNT(*) AS runs,
                   SUM(CASE WHEN status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS succeeded,
                   SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END) AS failed
            FROM runs WHERE workspace_id = ? AND created_at >= ? AND created_at < ?
            GROUP BY created_at / 3600000 ORDER BY bucket""";

    private static final String DURATIONS = """
            SELECT bucket, took FROM (
                SELECT created_at / 3600000 AS bucket, ended_at - started_at AS took,
                       ROW_NUMBER() OVER (PARTITION BY created_at / 3600000 ORDER BY id DESC) AS n
                FROM runs WHERE workspace_id = ? AND created_at >= ? AND created_at < ?
                  AND status IN ('SUCCEEDED', 'FAILED') AND started_at IS NOT NULL AND ended_at IS NOT NULL
            ) sample WHERE n <= ?""";

    private static final String ERRORS = """
            SELECT error_code, flow_id, COUNT(*) AS n, MAX(error_message) AS message, MAX(created_at) AS latest
            FROM runs WHERE workspace_id = ? AND status = 'FAILED' AND created_at >= ?
            GROUP BY error_code, flow_id ORDER BY n DESC, latest DESC, flow_id LIMIT ?""";

    private static final String LAST_ACTIVITY =
            "SELECT MAX(started_at) AS latest FROM step_attempts WHERE workspace_id = ? AND connection_id = ?";

    private static final String ATTEMPTS = """
            SELECT COUNT(*) AS attempts,
                   SUM(CASE WHEN status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS succeeded,
                   SUM(CASE WHEN status = 'SUCCEEDED' AND started_at >= ? THEN 1 ELSE 0 END) AS today
            FROM step_attempts WHERE workspace_id = ? AND connection_id = ? AND started_at >= ?
              AND status <> 'SKIPPED'""";

    private static final String ATTEMPT_DURATIONS = """
            SELECT ended_at - started_at AS took FROM step_attempts
            WHERE workspace_id = ? AND connection_id = ? AND started_at >= ? AND status <> 'SKIPPED'
            ORDER BY started_at DESC LIMIT ?""";

    private final Database db;

    public JdbcRunStats(Database db) {
        this.db = db;
    }

    @Override
    public List<Hour> hourly(String workspaceId, Instant since, Instant until) {
        return db.read(c -> {
            Map<Long, List<Long>> durations = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(DURATIONS)) {
                Sql.bind(ps, workspaceId, since, until, SAMPLE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        durations
                                .computeIfAbsent(rs.getLong("bucket"), h -> new ArrayList<>())
                                .add(rs.getLong("took"));
                    }
                }
            }
            List<Hour> hours = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(HOURS)) {
                Sql.bind(ps, workspaceId, since, until);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long hour = rs.getLong("bucket");
                        long[] sample = durations.getOrDefault(hour, List.of()).stream()
                                .mapToLong(Long::longValue)
                                .toArray();
                        hours.add(new Hour(
                                Instant.ofEpochMilli(hour * HOUR),
                                rs.getLong("runs"),
                                rs.getLong("succeeded"),
                                rs.getLong("failed"),
                                RunStats.percentile(sample.clone(), 50),
                                RunStats.percentile(sample, 95)));
                    }
                }
            }
            return hours;
        });
    }

    @Override
    public List<ErrorCount> topErrors(String workspaceId, Instant since, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ERRORS)) {
                Sql.bind(ps, workspaceId, since, limit);
                List<ErrorCount> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ErrorCount(
                                rs.getString("error_code"),
                                rs.getString("flow_id"),
                                rs.getString("message"),
                                rs.getLong("n"),
                                Sql.instant(rs, "latest")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<ConnectionActivity> connections(
            String workspaceId, List<String> connectionIds, Instant since, Instant today) {
        return db.read(c -> {
            List<ConnectionActivity> out = new ArrayList<>();
            for (String id : connectionIds) {
                out.add(activity(c, workspaceId, id, since, today));
            }
            return out;
        });
    }

    private static ConnectionActivity activity(
            Connection c, String workspaceId, String id, Instant since, Instant today) throws SQLException {
        Instant last;
        try (PreparedStatement ps = c.prepareStatement(LAST_ACTIVITY)) {
            Sql.bind(ps, workspaceId, id);
            try (ResultSet rs = ps.executeQuery()) {
                last = rs.next() ? Sql.instant(rs, "latest") : null;
            }
        }
        long attempts;
        long succeeded;
        long succeededToday;
        try (PreparedStatement ps = c.prepareStatement(ATTEMPTS)) {
            Sql.bind(ps, today, workspaceId, id, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                attempts = rs.getLong("attempts");
                succeeded = rs.getLong("succeeded");
                succeededToday = rs.getLong("today");
            }
        }
        List<Long> took = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(ATTEMPT_DURATIONS)) {
            Sql.bind(ps, workspaceId, id, since, SAMPLE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    took.add(rs.getLong("took"));
                }
            }
        }
        long[] sample = took.stream().mapToLong(Long::longValue).toArray();
        return new ConnectionActivity(id, last, attempts, succeeded, succeededToday, RunStats.percentile(sample, 95));
    }
}
