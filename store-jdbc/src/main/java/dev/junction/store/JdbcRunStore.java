package dev.junction.store;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.StepAttempt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reading runs and their step attempts on SQLite or PostgreSQL. Every statement filters on the
 * workspace. Runs are written through {@link JdbcWorkQueue}.
 */
public final class JdbcRunStore implements RunStore {
    private final Database db;

    public JdbcRunStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Run> find(String workspaceId, String runId) {
        return db.read(c -> RunRows.find(c, workspaceId, runId));
    }

    @Override
    public Page<Run> list(String workspaceId, RunQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + RunRows.RUN_COLUMNS + " FROM runs WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (q.flowId() != null) {
            sql.append(" AND flow_id = ?");
            args.add(q.flowId());
        }
        if (q.status() != null) {
            sql.append(" AND status = ?");
            args.add(q.status().name());
        }
        if (q.deadLetters()) {
            sql.append(" AND status = 'FAILED' AND replayed_by IS NULL");
        }
        if (q.errorCode() != null) {
            sql.append(" AND error_code = ?");
            args.add(q.errorCode());
        }
        if (q.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(q.since());
        }
        if (q.until() != null) {
            sql.append(" AND created_at < ?");
            args.add(q.until());
        }
        if (q.text() != null) {
            sql.append(" AND (id = ? OR idempotency_key = ? OR error_code = ?"
                    + " OR LOWER(error_message) LIKE ? ESCAPE '!')");
            args.add(q.text());
            args.add(q.text());
            args.add(q.text());
            args.add("%" + Sql.likeEscaped(q.text().toLowerCase(Locale.ROOT)) + "%");
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
                List<Run> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(RunRows.run(rs));
                    }
                }
                return out;
            }
        });
        if (runs.size() <= q.limit()) {
            return new Page<>(runs, null);
        }
        List<Run> page = runs.subList(0, q.limit());
        return new Page<>(page, page.getLast().id());
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
}
