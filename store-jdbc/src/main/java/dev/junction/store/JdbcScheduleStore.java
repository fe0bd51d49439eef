package dev.junction.store;

import dev.junction.engine.port.ScheduleStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link ScheduleStore} on SQLite or PostgreSQL. */
public final class JdbcScheduleStore implements ScheduleStore {
    private final Database db;

    public JdbcScheduleStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Slot> slot(String workspaceId, String flowId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT version, next_fire_at FROM schedules WHERE workspace_id = ? AND flow_id = ?")) {
                Sql.bind(ps, workspaceId, flowId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Slot(rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2))))
                            : Optional.<Slot>empty();
                }
            }
        });
    }

    @Override
    public void put(String workspaceId, String flowId, Slot slot) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO schedules (workspace_id, flow_id, version, next_fire_at) VALUES (?,?,?,?)"
                            + " ON CONFLICT (workspace_id, flow_id) DO UPDATE SET version = excluded.version, next_fire_at = excluded.next_fire_at")) {
                Sql.bind(ps, workspaceId, flowId, slot.version(), slot.next());
                return ps.executeUpdate();
            }
        });
    }
}
