package dev.junction.store;

import dev.junction.engine.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Connections of a workspace: their non-secret config and auth, status and last test. Every query
 * names the workspace. Updates are optimistic: they name the version they replace.
 */
public final class JdbcConnections {
    private static final String COLUMNS = "workspace_id, id, name, connector, config, auth, limits, status,"
            + " status_reason, version, last_test, created_at, updated_at";

    private final Database db;

    public JdbcConnections(Database db) {
        this.db = db;
    }

    /** One stored connection. {@code config}, {@code auth}, {@code limits} and {@code lastTest} are JSON objects. */
    public record Row(
            String workspaceId,
            String id,
            String name,
            String connector,
            Map<String, Object> config,
            Map<String, Object> auth,
            Map<String, Object> limits,
            String status,
            String statusReason,
            int version,
            Map<String, Object> lastTest,
            Instant createdAt,
            Instant updatedAt) {}

    /** Inserts {@code row}; false when the id is taken in the workspace. */
    public boolean insert(Row row) {
        return db.write(c -> {
            try (PreparedStatement exists =
                    c.prepareStatement("SELECT 1 FROM connections WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(exists, row.workspaceId(), row.id());
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO connections (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                Sql.bind(
                        ps,
                        row.workspaceId(),
                        row.id(),
                        row.name(),
                        row.connector(),
                        Json.write(row.config()),
                        Json.write(row.auth()),
                        Json.write(row.limits()),
                        row.status(),
                        row.statusReason(),
                        row.version(),
                        row.lastTest() == null ? null : Json.write(row.lastTest()),
                        row.createdAt(),
                        row.updatedAt());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Replaces the connection if it is still at {@code expectedVersion}; the row's version is the new one. */
    public boolean update(Row row, int expectedVersion) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE connections SET name = ?, config = ?, auth = ?, limits = ?, status = ?, status_reason = ?,"
                            + " version = ?, last_test = ?, updated_at = ?"
                            + " WHERE workspace_id = ? AND id = ? AND version = ?")) {
                Sql.bind(
                        ps,
                        row.name(),
                        Json.write(row.config()),
                        Json.write(row.auth()),
                        Json.write(row.limits()),
                        row.status(),
                        row.statusReason(),
                        row.version(),
                        row.lastTest() == null ? null : Json.write(row.lastTest()),
                        row.updatedAt(),
                        row.workspaceId(),
                        row.id(),
                        expectedVersion);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Sets status and reason without a version change (runtime facts such as needs_reauth). */
    public boolean setStatus(String workspaceId, String id, String status, String reason, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE connections SET status = ?, status_reason = ?, updated_at = ?"
                            + " WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, status, reason, at, workspaceId, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public boolean setLastTest(String workspaceId, String id, Map<String, Object> lastTest) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE connections SET last_test = ? WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, Json.write(lastTest), workspaceId, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<Row> find(String workspaceId, String id) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM connections WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, workspaceId, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.<Row>empty();
                }
            }
        });
    }

    public List<Row> list(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM connections WHERE workspace_id = ? ORDER BY id")) {
                Sql.bind(ps, workspaceId);
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    public boolean delete(String workspaceId, String id) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM connections WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, workspaceId, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Row row(ResultSet rs) throws SQLException {
        String lastTest = rs.getString("last_test");
        return new Row(
                rs.getString("workspace_id"),
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("connector"),
                (Map<String, Object>) Json.read(rs.getString("config")),
                (Map<String, Object>) Json.read(rs.getString("auth")),
                (Map<String, Object>) Json.read(rs.getString("limits")),
                rs.getString("status"),
                rs.getString("status_reason"),
                rs.getInt("version"),
                lastTest == null ? null : (Map<String, Object>) Json.read(lastTest),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
