package dev.junction.store;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.SourceFormat;
import dev.junction.engine.port.FlowRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link FlowRepository} on SQLite or PostgreSQL. Every statement filters on the workspace id. */
public final class JdbcFlowRepository implements FlowRepository {
    private static final String FLOW_COLUMNS =
            "workspace_id, id, name, latest_version, enabled, trigger_type, webhook_method, webhook_path, created_at, updated_at";

    private final Database db;
    /**
     * Webhook routes found, on SQLite only: there this process is the database's one node and makes
     * every change to {@code flows} itself (below), so it can forget the routes after each. A
     * cluster on PostgreSQL reads them every time. Only found routes are kept, at most
     * {@link #MAX_ROUTES}.
     */
    private final Map<Route, FlowRecord> routes;
    /** Bumped after every change to {@code flows}: a read that began before it is not kept. */
    private volatile long routesGeneration;

    private static final int MAX_ROUTES = 10_000;

    public JdbcFlowRepository(Database db) {
        this.db = db;
        this.routes = db.isSqlite() ? new ConcurrentHashMap<>() : null;
    }

    @Override
    public FlowVersion save(NewVersion next, int expectedLatest) {
        try {
            return db.write(c -> {
                Optional<FlowRecord> current = find(c, next.workspaceId(), next.flowId());
                if (expectedLatest == 0 && current.isPresent()) {
                    throw new JunctionException(
                            ErrorCode.FLOW_CONFLICT,
                            "flow '%s' already exists; update it with PUT /api/v1/flows/%s"
                                    .formatted(next.flowId(), next.flowId()));
                }
                if (expectedLatest > 0 && current.isEmpty()) {
                    throw new JunctionException(
                            ErrorCode.FLOW_NOT_FOUND, "flow '%s' does not exist".formatted(next.flowId()));
                }
                if (current.isPresent() && current.get().latestVersion() != expectedLatest) {
                    throw new JunctionException(
                            ErrorCode.FLOW_CONFLICT,
                            "flow '%s' is at version %d, not %d"
                                    .formatted(next.flowId(), current.get().latestVersion(), expectedLatest));
                }
                checkRoute(c, next);
                int version = expectedLatest + 1;
                if (current.isEmpty()) {
                    exec(
                            c,
                            "INSERT INTO flows (" + FLOW_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)",
                            next.workspaceId(),
                            next.flowId(),
                            next.name(),
                            version,
                            true,
                            next.triggerType(),
                            next.webhookMethod(),
                            next.webhookPath(),
                            next.at(),
                            next.at());
                } else {
                    exec(
                            c,
                            "UPDATE flows SET name = ?, latest_version = ?, enabled = ?, trigger_type = ?, webhook_method = ?, webhook_path = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
                            next.name(),
                            version,
                            true,
                            next.triggerType(),
                            next.webhookMethod(),
                            next.webhookPath(),
                            next.at(),
                            next.workspaceId(),
                            next.flowId());
                }
                exec(
                        c,
                        "INSERT INTO flow_versions (workspace_id, flow_id, version, name, source, format, created_at) VALUES (?,?,?,?,?,?,?)",
                        next.workspaceId(),
                        next.flowId(),
                        version,
                        next.name(),
                        next.source(),
                        next.format().name(),
                        next.at());
                return new FlowVersion(
                        next.workspaceId(),
                        next.flowId(),
                        version,
                        next.name(),
                        next.source(),
                        next.format(),
                        next.at());
            });
        } catch (JunctionException e) {
            if (e.getCause() instanceof SQLException sql && isUniqueViolation(sql)) {
                throw new JunctionException(
                        ErrorCode.FLOW_CONFLICT,
                        "flow '%s' was changed concurrently or its webhook route is taken; retry"
                                .formatted(next.flowId()),
                        sql);
            }
            throw e;
        } finally {
            forgetRoutes();
        }
    }

    private void forgetRoutes() {
        if (routes != null) {
            synchronized (routes) {
                routesGeneration++;
                routes.clear();
            }
        }
    }

    private static void checkRoute(Connection c, NewVersion next) throws SQLException {
        if (next.webhookPath() == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM flows WHERE workspace_id = ? AND webhook_method = ? AND webhook_path = ? AND id <> ?")) {
            Sql.bind(ps, next.workspaceId(), next.webhookMethod(), next.webhookPath(), next.flowId());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new JunctionException(
                            ErrorCode.FLOW_CONFLICT,
                            "webhook %s %s already belongs to flow '%s'"
                                    .formatted(next.webhookMethod(), next.webhookPath(), rs.getString(1)));
                }
            }
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("UNIQUE constraint failed");
    }

    private static int exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, args);
            return ps.executeUpdate();
        }
    }

    @Override
    public Optional<FlowRecord> find(String workspaceId, String flowId) {
        return db.read(c -> find(c, workspaceId, flowId));
    }

    private static Optional<FlowRecord> find(Connection c, String workspaceId, String flowId) throws SQLException {
        List<FlowRecord> found = flows(c, "WHERE workspace_id = ? AND id = ?", workspaceId, flowId);
        return found.stream().findFirst();
    }

    @Override
    public Optional<FlowVersion> version(String workspaceId, String flowId, int version) {
        return db
                .read(c -> versions(
                        c, "WHERE workspace_id = ? AND flow_id = ? AND version = ?", workspaceId, flowId, version))
                .stream()
                .findFirst();
    }

    @Override
    public List<FlowVersion> versions(String workspaceId, String flowId) {
        return db.read(
                c -> versions(c, "WHERE workspace_id = ? AND flow_id = ? ORDER BY version DESC", workspaceId, flowId));
    }

    @Override
    public List<FlowRecord> list(String workspaceId) {
        return db.read(c -> flows(c, "WHERE workspace_id = ? ORDER BY id", workspaceId));
    }

    @Override
    public boolean disable(String workspaceId, String flowId) {
        try {
            return db.write(c -> exec(
                            c,
                            "UPDATE flows SET enabled = ?, webhook_method = NULL, webhook_path = NULL WHERE workspace_id = ? AND id = ?",
                            false,
                            workspaceId,
                            flowId)
                    == 1);
        } finally {
            forgetRoutes();
        }
    }

    private record Route(String workspaceId, String method, String path) {}

    @Override
    public Optional<FlowRecord> findWebhook(String workspaceId, String method, String path) {
        Route route = new Route(workspaceId, method, path);
        FlowRecord kept = routes == null ? null : routes.get(route);
        if (kept != null) {
            return Optional.of(kept);
        }
        long generation = routesGeneration;
        Optional<FlowRecord> found = db
                .read(c -> flows(
                        c,
                        "WHERE workspace_id = ? AND webhook_method = ? AND webhook_path = ? AND enabled = ?",
                        workspaceId,
                        method,
                        path,
                        true))
                .stream()
                .findFirst();
        if (routes != null && found.isPresent()) {
            synchronized (routes) {
                // not if a change to the flows committed meanwhile: this read may predate it
                if (routesGeneration == generation && routes.size() < MAX_ROUTES) {
                    routes.put(route, found.get());
                }
            }
        }
        return found;
    }

    @Override
    public List<FlowRecord> enabledWithTrigger(String triggerType) {
        return db.read(
                c -> flows(c, "WHERE trigger_type = ? AND enabled = ? ORDER BY workspace_id, id", triggerType, true));
    }

    private static List<FlowRecord> flows(Connection c, String where, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + FLOW_COLUMNS + " FROM flows " + where)) {
            Sql.bind(ps, args);
            List<FlowRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FlowRecord(
                            rs.getString("workspace_id"),
                            rs.getString("id"),
                            rs.getString("name"),
                            rs.getInt("latest_version"),
                            rs.getBoolean("enabled"),
                            rs.getString("trigger_type"),
                            rs.getString("webhook_method"),
                            rs.getString("webhook_path"),
                            Sql.instant(rs, "created_at"),
                            Sql.instant(rs, "updated_at")));
                }
            }
            return out;
        }
    }

    private static List<FlowVersion> versions(Connection c, String where, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT workspace_id, flow_id, version, name, source, format, created_at FROM flow_versions "
                        + where)) {
            Sql.bind(ps, args);
            List<FlowVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FlowVersion(
                            rs.getString("workspace_id"),
                            rs.getString("flow_id"),
                            rs.getInt("version"),
                            rs.getString("name"),
                            rs.getString("source"),
                            SourceFormat.valueOf(rs.getString("format")),
                            Sql.instant(rs, "created_at")));
                }
            }
            return out;
        }
    }
}
