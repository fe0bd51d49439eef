package dev.junction.store;

import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** How runs and step attempts map to rows: the columns, the binds and the reads both stores share. */
final class RunRows {
    private RunRows() {}

    static final String RUN_COLUMNS =
            "workspace_id, id, flow_id, flow_version, status, trigger_type, trigger_event, idempotency_key, output, error_code, error_message, error_step, created_at, started_at, ended_at, replay_of, replayed_by";

    /** Positions of the status columns in {@link #RUN_COLUMNS} and {@link #runValues(Run)}. */
    private static final int STATUS = 4;

    private static final int STARTED_AT = 13;

    static final String INSERT_ATTEMPT =
            "INSERT INTO step_attempts (workspace_id, run_id, seq, step_id, path, step_type, attempt, status, input, output, error_code, error_message, started_at, ended_at, connection_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /**
     * The values of {@link #INSERT_ATTEMPT}, JSON already written: made on the caller's thread, so
     * the single SQLite writer only binds and executes.
     */
    static Object[] attemptValues(StepAttempt a, String workspaceId, String runId) {
        RunError e = a.error();
        return new Object[] {
            workspaceId,
            runId,
            a.seq(),
            a.stepId(),
            a.path(),
            a.stepType(),
            a.attempt(),
            a.status().name(),
            Sql.json(a.input()),
            Sql.json(a.output()),
            e == null ? null : e.code(),
            e == null ? null : e.message(),
            a.startedAt(),
            a.endedAt(),
            a.connectionId()
        };
    }

    /** The values of {@link #RUN_COLUMNS}, JSON already written (see {@link #attemptValues}). */
    static Object[] runValues(Run r) {
        RunError e = r.error();
        return new Object[] {
            r.workspaceId(),
            r.id(),
            r.flowId(),
            r.flowVersion(),
            r.status().name(),
            r.triggerType(),
            Sql.json(r.trigger()),
            r.idempotencyKey(),
            Sql.json(r.output()),
            e == null ? null : e.code(),
            e == null ? null : e.message(),
            e == null ? null : e.stepId(),
            r.createdAt(),
            r.startedAt(),
            r.endedAt(),
            r.replayOf(),
            r.replayedBy()
        };
    }

    /**
     * {@link #runValues(Run)} of the same run after {@link Run#started}: the JSON columns are
     * unchanged, so they are not written again.
     */
    static Object[] runValues(Run started, Object[] values) {
        Object[] v = values.clone();
        v[STATUS] = started.status().name();
        v[STARTED_AT] = started.startedAt();
        return v;
    }

    static Optional<Run> find(Connection c, String workspaceId, String runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE workspace_id = ? AND id = ?")) {
            Sql.bind(ps, workspaceId, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(run(rs)) : Optional.empty();
            }
        }
    }

    static Run run(ResultSet rs) throws SQLException {
        String code = rs.getString("error_code");
        return new Run(
                rs.getString("workspace_id"),
                rs.getString("id"),
                rs.getString("flow_id"),
                rs.getInt("flow_version"),
                RunStatus.valueOf(rs.getString("status")),
                rs.getString("trigger_type"),
                Sql.json(rs, "trigger_event"),
                rs.getString("idempotency_key"),
                Sql.json(rs, "output"),
                code == null ? null : new RunError(code, rs.getString("error_message"), rs.getString("error_step")),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "started_at"),
                Sql.instant(rs, "ended_at"),
                rs.getString("replay_of"),
                rs.getString("replayed_by"));
    }
}
