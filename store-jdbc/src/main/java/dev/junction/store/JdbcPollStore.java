package dev.junction.store;

import dev.junction.engine.json.Json;
import dev.junction.engine.port.PollStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** {@link PollStore} on SQLite or PostgreSQL (table {@code polls}). */
public final class JdbcPollStore implements PollStore {
    private final Database db;

    public JdbcPollStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<State> state(String workspaceId, String flowId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT source, cursor_value, next_poll_at, last_polled_at, last_error, items FROM polls"
                            + " WHERE workspace_id = ? AND flow_id = ?")) {
                Sql.bind(ps, workspaceId, flowId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<State>empty();
                    }
                    String cursor = rs.getString("cursor_value");
                    return Optional.of(new State(
                            rs.getString("source"),
                            cursor == null ? null : Json.read(cursor),
                            Sql.instant(rs, "next_poll_at"),
                            Sql.instant(rs, "last_polled_at"),
                            rs.getString("last_error"),
                            rs.getLong("items")));
                }
            }
        });
    }

    @Override
    public void put(String workspaceId, String flowId, State state) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO polls (workspace_id, flow_id, source,"
                    + " cursor_value, next_poll_at, last_polled_at, last_error, items) VALUES (?,?,?,?,?,?,?,?)"
                    + " ON CONFLICT (workspace_id, flow_id) DO UPDATE SET source = excluded.source,"
                    + " cursor_value = excluded.cursor_value, next_poll_at = excluded.next_poll_at,"
                    + " last_polled_at = excluded.last_polled_at, last_error = excluded.last_error,"
                    + " items = excluded.items")) {
                Sql.bind(
                        ps,
                        workspaceId,
                        flowId,
                        state.source(),
                        state.cursor() == null ? null : Json.write(state.cursor()),
                        state.next(),
                        state.lastPolledAt(),
                        state.lastError(),
                        state.items());
                return ps.executeUpdate();
            }
        });
    }
}
