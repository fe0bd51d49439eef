package dev.junction.store;

import dev.junction.engine.port.WorkQueue;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunError;
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
 * The work queue on SQLite or PostgreSQL. Every statement that names a run filters on its
 * workspace. A run is unfinished exactly while {@code due_at} is set; the partial index on it is
 * the queue. A leased run is due when its lease ends. On PostgreSQL claims use {@code FOR UPDATE
 * SKIP LOCKED}, fenced writes lock the run row, concurrency admission takes a transaction-scoped
 * advisory lock per flow, and a queued run sends {@code NOTIFY junction_work} so that idle nodes
 * wake up.
 */
public final class JdbcWorkQueue implements WorkQueue {
    /** The channel other nodes listen on for queued work. */
    public static final String WAKE_CHANNEL = "junction_work";
    /** A run is unfinished exactly while it is due some time. */
    static final String UNFINISHED = "due_at IS NOT NULL";
    /** Leases a run to a node: RUNNING, due when the lease ends. */
    private static final String TAKE =
            "UPDATE runs SET lease_owner = ?, lease_until = ?, due_at = ?, status = 'RUNNING', started_at = COALESCE(started_at, ?)"
                    + " WHERE workspace_id = ? AND id = ?";

    private final Database db;
    private final boolean postgres;
    private final FlowLimits limits;

    public JdbcWorkQueue(Database db) {
        this.db = db;
        this.postgres = !db.isSqlite();
        this.limits = new FlowLimits(postgres);
    }

    private String forUpdate() {
        return postgres ? " FOR UPDATE" : "";
    }

    @Override
    public Admission admit(Admit a) {
        Run run = a.run();
        Run started = run.started(run.createdAt());
        // JSON is written here, not on the writer's thread; a started run differs only in its status columns
        Object[] values = RunRows.runValues(run);
        List<Object[]> checkpoints = a.checkpoints().stream()
                .map(cp -> RunRows.attemptValues(cp, run.workspaceId(), run.id()))
                .toList();
        Database.Committed<Admission> admitted = db.writeCommitted(c -> {
            boolean startNow =
                    a.node() != null && limits.mayStart(c, run.workspaceId(), run.flowId(), a.concurrencyLimit());
            Run stored = startNow ? started : run;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (" + RunRows.RUN_COLUMNS
                            + ", due_at, lease_owner, lease_until, concurrency_limit) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
                Sql.bind(ps, startNow ? RunRows.runValues(stored, values) : values);
                Sql.bindFrom(
                        ps,
                        18,
                        startNow ? a.leaseUntil() : run.createdAt(), // a leased run is due when its lease ends
                        startNow ? a.node() : null,
                        startNow ? a.leaseUntil() : null,
                        a.concurrencyLimit());
                if (ps.executeUpdate() == 0) {
                    return new Admission(byIdempotencyKey(c, run), false, false);
                }
            }
            if (!checkpoints.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(RunRows.INSERT_ATTEMPT)) {
                    for (Object[] cp : checkpoints) {
                        Sql.bind(ps, cp);
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
        return admitted.value().withDurable(admitted.durable());
    }

    private Run byIdempotencyKey(Connection c, Run run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.RUN_COLUMNS
                + " FROM runs WHERE workspace_id = ? AND flow_id = ? AND idempotency_key = ?")) {
            Sql.bind(ps, run.workspaceId(), run.flowId(), run.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return RunRows.run(rs);
                }
            }
        }
        throw new SQLException("run " + run.id() + " was neither inserted nor found by its idempotency key");
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
        return db.write(Durability.CRASH_SAFE, c -> {
            record Candidate(String workspaceId, String id, String flowId, String status, int limit) {}
            List<Candidate> candidates = new ArrayList<>();
            try (PreparedStatement ps = limits.candidates(c, now, limit)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Candidate(
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
                    }
                }
            }
            List<Run> claimed = new ArrayList<>();
            try (PreparedStatement take = c.prepareStatement(TAKE)) {
                for (Candidate cand : candidates) {
                    if ("QUEUED".equals(cand.status())
                            && cand.limit() > 0
                            && limits.activeRuns(c, cand.workspaceId(), cand.flowId()) >= cand.limit()) {
                        continue;
                    }
                    Sql.bind(take, node, leaseUntil, leaseUntil, now, cand.workspaceId(), cand.id());
                    take.executeUpdate();
                    claimed.add(RunRows.find(c, cand.workspaceId(), cand.id()).orElseThrow());
                }
            }
            return claimed;
        });
    }

    @Override
    public Optional<Run> claimNext(String workspaceId, String flowId, String node, Instant now, Instant leaseUntil) {
        return db.write(Durability.CRASH_SAFE, c -> {
            String id = null;
            int limit = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, concurrency_limit FROM runs"
                    + " WHERE workspace_id = ? AND flow_id = ? AND status = 'QUEUED' AND due_at <= ?"
                    + " ORDER BY due_at, id LIMIT 1" + (postgres ? " FOR UPDATE SKIP LOCKED" : ""))) {
                Sql.bind(ps, workspaceId, flowId, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getString(1);
                        limit = rs.getInt(2);
                    }
                }
            }
            if (id == null || (limit > 0 && limits.activeRuns(c, workspaceId, flowId) >= limit)) {
                return Optional.<Run>empty();
            }
            try (PreparedStatement take = c.prepareStatement(TAKE)) {
                Sql.bind(take, node, leaseUntil, leaseUntil, now, workspaceId, id);
                take.executeUpdate();
            }
            return RunRows.find(c, workspaceId, id);
        });
    }

    @Override
    public int renew(String node, Instant until) {
        return db.write(Durability.CRASH_SAFE, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET lease_until = ?, due_at = ? WHERE lease_owner = ? AND " + UNFINISHED)) {
                Sql.bind(ps, until, until, node);
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

    @Override
    public boolean checkpoint(StepAttempt a, String node) {
        Object[] values = RunRows.attemptValues(a, a.workspaceId(), a.runId());
        return db.write(Durability.CRASH_SAFE, c -> {
            if (!holds(c, a.workspaceId(), a.runId(), node)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(RunRows.INSERT_ATTEMPT)) {
                Sql.bind(ps, values);
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean save(Run r, String node) {
        Object[] values = statusValues(r, node);
        return db.write(Durability.CRASH_SAFE, c -> saveIn(c, r, values));
    }

    @Override
    public boolean finish(StepAttempt last, Run r, String node) {
        Object[] values = statusValues(r, node);
        Object[] attempt = RunRows.attemptValues(last, last.workspaceId(), last.runId());
        return db.write(Durability.CRASH_SAFE, c -> {
            if (!saveIn(c, r, values)) { // the lease check of both
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement(RunRows.INSERT_ATTEMPT)) {
                Sql.bind(ps, attempt);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** The values {@link #saveIn} binds, serialised on the caller's thread. */
    private static Object[] statusValues(Run r, String node) {
        RunError e = r.error();
        return new Object[] {
            r.status().name(),
            Sql.json(r.output()),
            e == null ? null : e.code(),
            e == null ? null : e.message(),
            e == null ? null : e.stepId(),
            r.startedAt(),
            r.endedAt(),
            r.workspaceId(),
            r.id(),
            node
        };
    }

    /** Stores the run's status if {@code node} holds it; a finished run releases its lease and timers. */
    private static boolean saveIn(Connection c, Run r, Object[] values) throws SQLException {
        boolean finished = r.status().finished();
        int n;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE runs SET status = ?, output = ?, error_code = ?, error_message = ?, error_step = ?, started_at = ?, ended_at = ?"
                        + (finished ? ", due_at = NULL, lease_owner = NULL, lease_until = NULL" : "")
                        + " WHERE workspace_id = ? AND id = ? AND lease_owner = ? AND " + UNFINISHED)) {
            Sql.bind(ps, values);
            n = ps.executeUpdate();
        }
        if (n == 1 && finished) {
            deleteTimers(c, r.workspaceId(), r.id());
        }
        return n == 1;
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
        return db.write(Durability.CRASH_SAFE, c -> {
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
        db.write(Durability.CRASH_SAFE, c -> {
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
            return RunRows.find(c, workspaceId, runId);
        });
    }

    @Override
    public boolean holdDuty(String name, String node, Instant now, Instant until) {
        return db.write(Durability.CRASH_SAFE, c -> {
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
        return db.write(Durability.CRASH_SAFE, c -> {
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
}
