package dev.junction.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Workspaces and their policies (for now: how many days finished runs are kept). */
public final class JdbcWorkspaces {
    /** One workspace as stored. */
    public record Workspace(String id, String name, int retentionDays, java.time.Instant archivedAt) {}

    private final Database db;

    public JdbcWorkspaces(Database db) {
        this.db = db;
    }

    public Optional<Workspace> find(String id) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id, name, retention_days, archived_at FROM workspaces WHERE id = ?")) {
                Sql.bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Workspace(
                                    rs.getString(1), rs.getString(2), rs.getInt(3), Sql.instant(rs, "archived_at")))
                            : Optional.<Workspace>empty();
                }
            }
        });
    }

    /** Sets how many days the workspace keeps finished runs; false when there is no such workspace. */
    public boolean setRetentionDays(String id, int days) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workspaces SET retention_days = ? WHERE id = ?")) {
                Sql.bind(ps, days, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** How many days each workspace keeps finished runs, by workspace id. */
    public Map<String, Integer> retentionDays() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, retention_days FROM workspaces ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                Map<String, Integer> out = new LinkedHashMap<>();
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
                return out;
            }
        });
    }

    /** Creates a workspace; false when the id is taken. */
    public boolean create(String id, String name, java.time.Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO workspaces (id, name, created_at) VALUES (?,?,?) ON CONFLICT (id) DO NOTHING")) {
                Sql.bind(ps, id, name, at);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Renames a workspace; false when there is no such workspace. */
    public boolean rename(String id, String name) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE workspaces SET name = ? WHERE id = ?")) {
                Sql.bind(ps, name, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Archives a workspace: its keys stop working and its webhooks answer 404; its data stays. */
    public boolean archive(String id, java.time.Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE workspaces SET archived_at = ? WHERE id = ? AND archived_at IS NULL")) {
                Sql.bind(ps, at, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The ids of archived workspaces. */
    public java.util.Set<String> archived() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM workspaces WHERE archived_at IS NOT NULL");
                    ResultSet rs = ps.executeQuery()) {
                java.util.Set<String> out = new java.util.HashSet<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return java.util.Set.copyOf(out);
            }
        });
    }
}
