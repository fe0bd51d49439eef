package dev.junction.store;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs and the work queue on SQLite or PostgreSQL. Every statement that names a run filters on its
 * workspace. A run is unfinished exactly while {@code due_at} is set; the partial index on it is
 * the queue. On PostgreSQL claims use {@code FOR UPDATE SKIP LOCKED}, fenced writes lock the run
 * row, concurrency admission takes a transaction-scoped advisory lock per flow, and a queued run
 * sends {@code NOTIFY junction_work} so that idle nodes wake up.
 */
public final class JdbcRunStore implements RunStore, WorkQueue {
    /** The channel other nodes listen on for queued work. */
    public static final String WAKE_CHANNEL = "junction_work";

    private static final String RUN_COLUMNS =
            "workspace_id, id, flow_id, flow_version, status, trigger_type, trigger_event, idempotency_key, output, error_code, error_message, error_step, created_at, started_at, ended_at, replay_of, replayed_by";
    private static final String UNFINISHED = "due_at IS NOT NULL";

    private final Database db;
    private final boolean postgres;

    public JdbcRunStore(Database db) {
        this.db = db;
        this.postgres = !db.isSqlite();
    }

    private String forUpdate() {
        return postgres ? " FOR UPDATE" : "";
    }

    @Override
    public Admission admit(Admit a) {
        Run run = a.run();
        return db.write(c -> {
            boolean startNow = a.node() != null && mayStart(c, run.workspaceId(), run.flowId(), a.concurrencyLimit());
            Run stored = startNow ? run.started(run.createdAt()) : run;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (" + RUN_COLUMNS
                            + ", due_at, lease_owner, lease_until, concurrency_limit) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
                bindRun(ps, stored);
                Sql.bindFrom(
                        ps,
                        18,
                        run.createdAt(),
                        startNow ? a.node() : null,
                        startNow ? a.leaseUntil() : null,
                        a.concurrencyLimit());
                if (ps.executeUpdate() == 0) {
                    return new Admission(byIdempotencyKey(c, run), false, false);
                }
            }
            if (!a.checkpoints().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(INSERT_ATTEMPT)) {
                    for (StepAttempt cp : a.checkpoints()) {
                        bindAttempt(ps, cp, run.workspaceId(), run.id());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (a.replayOf() != null) {
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE runs SET replayed_by = ? WHERE workspace_id = ? AND id = ?")) {
                    Sql.bind(ps, run.id(), run.workspaceId(), a.replayOf());
                    ps.executeUpdate();
                }
            }
            if (!startNow) {
                wake(c);
            }
            return new Admission(stored, true, startNow);
        });
    }

    private Run byIdempotencyKey(Connection c, Run run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                + " FROM runs WHERE workspace_id = ? AND flow_id = ? AND idempotency_key = ?")) {
            Sql.bind(ps, run.workspaceId(), run.flowId(), run.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return run(rs);
                }
            }
        }
        throw new SQLException("run " + run.id() + " was neither inserted nor found by its idempotency key");
    }

    /** Whether a run of the flow may start now: no limit, or under it with nobody queued before. */
    private boolean mayStart(Connection c, String workspaceId, String flowId, int limit) throws SQLException {
        if (limit <= 0) {
            return true;
        }
        lockFlow(c, workspaceId, flowId);
        int queued = 0;
        int active = 0;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status, COUNT(*) FROM runs WHERE workspace_id = ? AND flow_id = ? AND "
                        + UNFINISHED + " GROUP BY status")) {
            Sql.bind(ps, workspaceId, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("QUEUED".equals(rs.getString(1))) {
                        queued += rs.getInt(2);
                    } else {
                        active += rs.getInt(2);
                    }
                }
            }
        }
        return queued == 0 && active < limit;
    }

    private int activeRuns(Connection c, String workspaceId, String flowId) throws SQLException {
        lockFlow(c, workspaceId, flowId);
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*) FROM runs WHERE workspace_id = ? AND flow_id = ? AND " + UNFINISHED
                        + " AND status IN ('RUNNING', 'WAITING')")) {
            Sql.bind(ps, workspaceId, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Serialises concurrency admission per flow across nodes (PostgreSQL; SQLite has one writer). */
    private void lockFlow(Connection c, String workspaceId, String flowId) throws SQLException {
        if (postgres) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                Sql.bind(ps, "junction-flow/" + workspaceId + "/" + flowId);
                ps.execute();
            }
        }
    }

    private void wake(Connection c) throws SQLException {
        if (postgres) {
            try (PreparedStatement ps = c.prepareStatement("NOTIFY " + WAKE_CHANNEL)) {
                ps.execute();
            }
        }
    }

    @Override
    public List<Run> claim(String node, Instant now, Instant leaseUntil, int limit) {
        return db.write(c -> {
            record Candidate(String workspaceId, String id, String flowId, String status, int limit) {}
            List<Candidate> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT workspace_id, id, flow_id, status, concurrency_limit FROM runs WHERE " + UNFINISHED
                            + " AND due_at <= ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)"
                            + " ORDER BY due_at, id LIMIT ?" + (postgres ? " FOR UPDATE SKIP LOCKED" : ""))) {
                Sql.bind(ps, now, now, node, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Candidate(
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
                    }
                }
            }
            List<Run> claimed = new ArrayList<>();
            try (PreparedStatement take = c.prepareStatement(
                    "UPDATE runs SET lease_owner = ?, lease_until = ?, status = 'RUNNING', started_at = COALESCE(started_at, ?)"
                            + " WHERE workspace_id = ? AND id = ?")) {
                for (Candidate cand : candidates) {
                    if ("QUEUED".equals(cand.status())
                            && cand.limit() > 0
                            && activeRuns(c, cand.workspaceId(), cand.flowId()) >= cand.limit()) {
                        continue;
                    }
                    Sql.bind(take, node, leaseUntil, now, cand.workspaceId(), cand.id());
                    take.executeUpdate();
                    claimed.add(find(c, cand.workspaceId(), cand.id()).orElseThrow());
                }
            }
            return claimed;
        });
    }

    @Override
    public int renew(String node, Instant until) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE runs SET lease_until = ? WHERE lease_owner = ? AND " + UNFINISHED)) {
                Sql.bind(ps, until, node);
                return ps.executeUpdate();
            }
        });
    }

    /** Locks the run row (PostgreSQL) and tells whether {@code node} holds it unfinished. */
    private boolean holds(Connection c, String workspaceId, String runId, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT lease_owner FROM runs WHERE workspace_id = ? AND id = ? AND " + UNFINISHED + forUpdate())) {
            Sql.bind(ps, workspaceId, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && node.equals(rs.getString(1));
            }
        }
    }

    private static final String INSERT_ATTEMPT =
            "INSERT INTO step_attempts (workspace_id, run_id, seq, step_id, path, step_type, attempt, status, input, output, error_code, error_message, started_at, ended_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    private static void bindAttempt(PreparedStatement ps, StepAttempt a, String workspaceId, String runId)
            throws SQLException {
        RunError e = a.error();
        Sql.bind(
                ps,
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
                a.endedAt());
    }

    @Override
    public boolean checkpoint(StepAttempt a, String node) {
        return db.write(c -> {
            if (!holds(c, a.workspaceId(), a.runId(), node)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_ATTEMPT)) {
                bindAttempt(ps, a, a.workspaceId(), a.runId());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean save(Run r, String node) {
        RunError e = r.error();
        boolean finished = r.status().finished();
        return db.write(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET status = ?, output = ?, error_code = ?, error_message = ?, error_step = ?, started_at = ?, ended_at = ?"
                            + (finished ? ", due_at = NULL, lease_owner = NULL, lease_until = NULL" : "")
                            + " WHERE workspace_id = ? AND id = ? AND lease_owner = ? AND " + UNFINISHED)) {
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
                        r.id(),
                        node);
                n = ps.executeUpdate();
            }
            if (n == 1 && finished) {
                deleteTimers(c, r.workspaceId(), r.id());
            }
            return n == 1;
        });
    }

    private static void deleteTimers(Connection c, String workspaceId, String runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM run_timers WHERE workspace_id = ? AND run_id = ?")) {
            Sql.bind(ps, workspaceId, runId);
            ps.executeUpdate();
        }
    }

    @Override
    public boolean park(String workspaceId, String runId, String node, Instant due) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET status = 'WAITING', due_at = ?, lease_owner = NULL, lease_until = NULL"
                            + " WHERE workspace_id = ? AND id = ? AND lease_owner = ? AND " + UNFINISHED)) {
                Sql.bind(ps, due, workspaceId, runId, node);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void setTimer(String workspaceId, String runId, String key, Instant due) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO run_timers (workspace_id, run_id, timer_key, due_at) VALUES (?,?,?,?)"
                            + " ON CONFLICT (workspace_id, run_id, timer_key) DO UPDATE SET due_at = excluded.due_at")) {
                Sql.bind(ps, workspaceId, runId, key, due);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, Instant> timers(String workspaceId, String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT timer_key, due_at FROM run_timers WHERE workspace_id = ? AND run_id = ?")) {
                Sql.bind(ps, workspaceId, runId);
                Map<String, Instant> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Run> cancel(String workspaceId, String runId, Instant at) {
        return db.write(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET status = 'CANCELLED', output = NULL, error_code = 'CANCELLED', error_message = 'the run was cancelled', error_step = NULL,"
                            + " ended_at = ?, due_at = NULL, lease_owner = NULL, lease_until = NULL"
                            + " WHERE workspace_id = ? AND id = ? AND " + UNFINISHED)) {
                Sql.bind(ps, at, workspaceId, runId);
                n = ps.executeUpdate();
            }
            if (n == 1) {
                deleteTimers(c, workspaceId, runId);
                wake(c);
            }
            return find(c, workspaceId, runId);
        });
    }

    @Override
    public boolean holdDuty(String name, String node, Instant now, Instant until) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO duties (name, owner, lease_until) VALUES (?,?,?) ON CONFLICT (name) DO UPDATE"
                            + " SET owner = excluded.owner, lease_until = excluded.lease_until"
                            + " WHERE duties.owner = excluded.owner OR duties.lease_until < ?")) {
                Sql.bind(ps, name, node, until, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int prune(String workspaceId, Instant before, int limit) {
        return db.write(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM runs WHERE workspace_id = ? AND ended_at < ? AND "
                            + "due_at IS NULL ORDER BY ended_at LIMIT ?")) {
                Sql.bind(ps, workspaceId, before, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement attempts =
                            c.prepareStatement("DELETE FROM step_attempts WHERE workspace_id = ? AND run_id = ?");
                    PreparedStatement runs = c.prepareStatement("DELETE FROM runs WHERE workspace_id = ? AND id = ?")) {
                for (String id : ids) {
                    Sql.bind(attempts, workspaceId, id);
                    attempts.addBatch();
                    Sql.bind(runs, workspaceId, id);
                    runs.addBatch();
                }
                if (!ids.isEmpty()) {
                    attempts.executeBatch();
                    runs.executeBatch();
                }
            }
            return ids.size();
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
                r.endedAt(),
                r.replayOf(),
                r.replayedBy());
    }

    @Override
    public Optional<Run> find(String workspaceId, String runId) {
        return db.read(c -> find(c, workspaceId, runId));
    }

    private static Optional<Run> find(Connection c, String workspaceId, String runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE workspace_id = ? AND id = ?")) {
            Sql.bind(ps, workspaceId, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(run(rs)) : Optional.empty();
            }
        }
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
                        out.add(run(rs));
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
                Sql.instant(rs, "ended_at"),
                rs.getString("replay_of"),
                rs.getString("replayed_by"));
    }
}
