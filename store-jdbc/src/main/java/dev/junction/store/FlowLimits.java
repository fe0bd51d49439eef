package dev.junction.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Concurrency limits in the work queue's SQL: whether a run of a flow may start, how many of a
 * flow's runs are active, and the general claim's candidates without the queued runs of flows at
 * their limit. On PostgreSQL admission per flow is serialised across nodes by a transaction-scoped
 * advisory lock; SQLite has one writer.
 */
final class FlowLimits {
    /** Flows at a limit excluded from a claim by plain comparisons; beyond it, a count per row. */
    private static final int EXCLUDED_FLOWS_INLINE = 100;

    private final boolean postgres;

    FlowLimits(boolean postgres) {
        this.postgres = postgres;
    }

    /**
     * Whether a run of the flow may start now: no limit, or under it with nobody queued before.
     * Both questions read an index (a queued run of the flow; its active runs, at most the limit),
     * not the flow's whole queue.
     */
    boolean mayStart(Connection c, String workspaceId, String flowId, int limit) throws SQLException {
        if (limit <= 0) {
            return true;
        }
        lockFlow(c, workspaceId, flowId);
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE workspace_id = ? AND flow_id = ?"
                + " AND status = 'QUEUED' AND due_at IS NOT NULL LIMIT 1")) {
            Sql.bind(ps, workspaceId, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        return countActive(c, workspaceId, flowId) < limit;
    }

    int activeRuns(Connection c, String workspaceId, String flowId) throws SQLException {
        lockFlow(c, workspaceId, flowId);
        return countActive(c, workspaceId, flowId);
    }

    private static int countActive(Connection c, String workspaceId, String flowId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*) FROM runs WHERE workspace_id = ? AND flow_id = ? AND "
                        + JdbcWorkQueue.UNFINISHED + " AND status IN ('RUNNING', 'WAITING')")) {
            Sql.bind(ps, workspaceId, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The flows with active runs and how many: one aggregate over the active runs' index. */
    private static List<ActiveFlow> activeFlows(Connection c) throws SQLException {
        List<ActiveFlow> flows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT workspace_id, flow_id, COUNT(*) FROM runs WHERE "
                + JdbcWorkQueue.UNFINISHED + " AND status IN ('RUNNING', 'WAITING') GROUP BY workspace_id, flow_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    flows.add(new ActiveFlow(rs.getString(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        return flows;
    }

    private record ActiveFlow(String workspaceId, String flowId, int active) {}

    /**
     * The general claim's candidates: unfinished and due, except queued runs whose flow is at their
     * concurrency limit, so that a long queue behind one flow's limit cannot fill every claim batch
     * and starve the runs behind it. The flows at a limit are the few with active runs, known
     * before the scan; up to {@link #EXCLUDED_FLOWS_INLINE} of them are excluded with plain
     * comparisons, more with a count per queued row.
     */
    PreparedStatement candidates(Connection c, Instant now, int limit) throws SQLException {
        List<ActiveFlow> active = activeFlows(c);
        StringBuilder sql =
                new StringBuilder("SELECT workspace_id, id, flow_id, status, concurrency_limit FROM runs WHERE "
                        + JdbcWorkQueue.UNFINISHED + " AND due_at <= ?");
        List<Object> params = new ArrayList<>(List.of(now));
        if (active.size() > EXCLUDED_FLOWS_INLINE) {
            sql.append(" AND NOT (runs.status = 'QUEUED' AND runs.concurrency_limit > 0"
                    + " AND (SELECT COUNT(*) FROM runs active WHERE active.workspace_id = runs.workspace_id"
                    + " AND active.flow_id = runs.flow_id AND active.due_at IS NOT NULL"
                    + " AND active.status IN ('RUNNING', 'WAITING')) >= runs.concurrency_limit)");
        } else {
            for (ActiveFlow f : active) {
                sql.append(" AND NOT (status = 'QUEUED' AND workspace_id = ? AND flow_id = ?"
                        + " AND concurrency_limit > 0 AND concurrency_limit <= ?)");
                params.addAll(List.of(f.workspaceId(), f.flowId(), f.active()));
            }
        }
        sql.append(" ORDER BY due_at, id LIMIT ?").append(postgres ? " FOR UPDATE SKIP LOCKED" : "");
        params.add(limit);
        PreparedStatement ps = c.prepareStatement(sql.toString());
        try {
            Sql.bind(ps, params.toArray());
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
        return ps;
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
}
