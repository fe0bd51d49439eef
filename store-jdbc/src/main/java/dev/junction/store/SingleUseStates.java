package dev.junction.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The take-once rows of pending browser redirects (OAuth authorizations, OpenID Connect sign-ins):
 * a table keyed by the SHA-256 of a state, with {@code workspace_id} and {@code expires_at}
 * columns. {@link #take} deletes the row it returns in the same transaction, so a state is used at
 * most once even when two redirects race. Thread-safe.
 */
final class SingleUseStates<T> {
    /** Reads one row's own columns into a value. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Database db;
    private final String table;
    private final String columns;
    private final RowReader<T> reader;

    /** {@code columns} must include {@code workspace_id} and {@code expires_at}. */
    SingleUseStates(Database db, String table, String columns, RowReader<T> reader) {
        this.db = db;
        this.table = table;
        this.columns = columns;
        this.reader = reader;
    }

    /**
     * Removes and returns the row for {@code stateHash} if it has not expired at {@code now}. The
     * state is the only key the browser brings back, so this lookup cannot name a workspace; the row
     * says which one it belongs to.
     */
    Optional<T> take(String stateHash, Instant now) {
        return db.write(c -> {
            T found = null;
            String workspace = null;
            Instant expires = null;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE state_hash = ?")) {
                Sql.bind(ps, stateHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found = reader.read(rs);
                        workspace = rs.getString("workspace_id");
                        expires = Sql.instant(rs, "expires_at");
                    }
                }
            }
            if (found == null) {
                return Optional.<T>empty();
            }
            try (PreparedStatement del =
                    c.prepareStatement("DELETE FROM " + table + " WHERE workspace_id = ? AND state_hash = ?")) {
                Sql.bind(del, workspace, stateHash);
                if (del.executeUpdate() != 1) {
                    return Optional.<T>empty(); // taken by a concurrent redirect
                }
            }
            return expires.isAfter(now) ? Optional.of(found) : Optional.<T>empty();
        });
    }

    /** Deletes the workspace's rows that expired before {@code now}; returns how many. */
    int purgeExpired(String workspaceId, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM " + table + " WHERE workspace_id = ? AND expires_at <= ?")) {
                Sql.bind(ps, workspaceId, now);
                return ps.executeUpdate();
            }
        });
    }
}
