package dev.junction.store;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RunStore} on SQLite or PostgreSQL. Every statement filters on the workspace id. */
public final class JdbcRunStore implements RunStore {
    private static final String RUN_COLUMNS =
            "workspace_id, id, flow_id, flow_version, status, trigger_type, trigger_event, idempotency_key, output, error_code, error_message, error_step, created_at, started_at, ended_at";

    private final Database db;

    public JdbcRunStore(Database db) {
        this.db = db;
    }

    @Override
    public Creation create(Run run) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
                bindRun(ps, run);
                if (ps.executeUpdate() == 1) {
                    return new Creation(run, true);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM runs WHERE workspace_id = ? AND flow_id = ? AND idempotency_key = ?")) {
                Sql.bind(ps, run.workspaceId(), run.flowId(), run.idempotencyKey());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Creation(run(rs), false);
                    }
                }
            }
            throw new SQLException("run " + run.id() + " was neither inserted nor found by its idempotency key");
        });
    }

    private static void bindRun(PreparedStatement ps, Run r) throws SQLException {
        RunError e = r.error();
        Sql.bind(
                ps,
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
                r.endedAt());
    }

    @Override
    public void update(Run r) {
        RunError e = r.error();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET status = ?, output = ?, error_code = ?, error_message = ?, error_step = ?, started_at = ?, ended_at = ? WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(
                        ps,
                        r.status().name(),
                        Sql.json(r.output()),
                        e == null ? null : e.code(),
                        e == null ? null : e.message(),
                        e == null ? null : e.stepId(),
                        r.startedAt(),
                        r.endedAt(),
                        r.workspaceId(),
                        r.id());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<Run> find(String workspaceId, String runId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, workspaceId, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<Run>empty();
                }
            }
        });
    }

    @Override
    public Page<Run> list(String workspaceId, RunQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM runs WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (q.flowId() != null) {
            sql.append(" AND flow_id = ?");
            args.add(q.flowId());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status().name());
        }
        if (q.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(q.since());
        }
        if (q.until() != null) {
            sql.append(" AND created_at < ?");
            args.add(q.until());
        }
        if (q.cursor() != null) {
            sql.append(" AND id < ?");
            args.add(q.cursor());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<Run> runs = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Sql.bind(ps, args.toArray());
                return runs(ps);
            }
        });
        if (runs.size() <= q.limit()) {
            return new Page<>(runs, null);
        }
        List<Run> page = runs.subList(0, q.limit());
        return new Page<>(page, page.getLast().id());
    }

    @Override
    public void record(StepAttempt a) {
        RunError e = a.error();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO step_attempts (workspace_id, run_id, seq, step_id, path, step_type, attempt, status, input, output, error_code, error_message, started_at, ended_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                Sql.bind(
                        ps,
                        a.workspaceId(),
                        a.runId(),
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
                        a.endedAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<StepAttempt> attempts(String workspaceId, String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM step_attempts WHERE workspace_id = ? AND run_id = ? ORDER BY seq")) {
                Sql.bind(ps, workspaceId, runId);
                List<StepAttempt> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String code = rs.getString("error_code");
                        out.add(new StepAttempt(
                                rs.getString("workspace_id"),
                                rs.getString("run_id"),
                                rs.getInt("seq"),
                                rs.getString("step_id"),
                                rs.getString("path"),
                                rs.getString("step_type"),
                                rs.getInt("attempt"),
                                AttemptStatus.valueOf(rs.getString("status")),
                                Sql.json(rs, "input"),
                                Sql.json(rs, "output"),
                                code == null
                                        ? null
                                        : new RunError(code, rs.getString("error_message"), rs.getString("step_id")),
                                Sql.instant(rs, "started_at"),
                                Sql.instant(rs, "ended_at")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Run> unfinished() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM runs WHERE status IN ('QUEUED', 'RUNNING', 'WAITING') ORDER BY id")) {
                return runs(ps);
            }
        });
    }

    private static List<Run> runs(PreparedStatement ps) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(run(rs));
            }
        }
        return out;
    }

    private static Run run(ResultSet rs) throws SQLException {
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
                Sql.instant(rs, "ended_at"));
    }
}
