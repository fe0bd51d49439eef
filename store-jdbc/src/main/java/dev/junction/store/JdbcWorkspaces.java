package dev.junction.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Workspaces and their policies (for now: how many days finished runs are kept). */
public final class JdbcWorkspaces {
    /** One workspace as stored. */
    public record Workspace(String id, String name, int retentionDays) {}

    private final Database db;

    public JdbcWorkspaces(Database db) {
        this.db = db;
    }

    public Optional<Workspace> find(String id) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id, name, retention_days FROM workspaces WHERE id = ?")) {
                Sql.bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Workspace(rs.getString(1), rs.getString(2), rs.getInt(3)))
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
}
