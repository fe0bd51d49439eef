package dev.junction.store;

import dev.junction.engine.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The people who sign in (table {@code users}). A user belongs to one workspace; every query names
 * it. Local users carry a password hash (computed by the caller), single sign-on users an issuer
 * and subject instead. Thread-safe: every method is one transaction.
 */
public final class JdbcUsers {
    /** One user as stored; {@code preferences} is a JSON object (never null). */
    public record User(
            String workspaceId,
            String id,
            String login,
            String displayName,
            String passwordHash,
            String role,
            int failedAttempts,
            Instant lockedUntil,
            boolean disabled,
            String ssoIssuer,
            String ssoSubject,
            Map<String, Object> preferences,
            Instant createdAt,
            Instant updatedAt) {
        public User {
            preferences = preferences == null
                    ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(preferences));
        }
    }

    private static final String COLUMNS = "workspace_id, id, login, display_name, password_hash, role,"
            + " failed_attempts, locked_until, disabled, sso_issuer, sso_subject, preferences, created_at, updated_at";

    private final Database db;

    public JdbcUsers(Database db) {
        this.db = db;
    }

    /** Stores a new user; false when the workspace already has a user with that id, login or SSO subject. */
    public boolean insert(User u) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {
                Sql.bind(
                        ps,
                        u.workspaceId(),
                        u.id(),
                        u.login(),
                        u.displayName(),
                        u.passwordHash(),
                        u.role(),
                        u.failedAttempts(),
                        u.lockedUntil(),
                        u.disabled() ? 1 : 0,
                        u.ssoIssuer(),
                        u.ssoSubject(),
                        Json.write(u.preferences()),
                        u.createdAt(),
                        u.updatedAt());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Writes display name, password hash, role, disabled flag and preferences of {@code u}; false
     * when there is no such user. Failures and lock are written only by {@link #recordFailure} and
     * {@link #recordSuccess}, so a profile change cannot undo a concurrent failed sign-in.
     */
    public boolean update(User u) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET display_name = ?, password_hash = ?,"
                    + " role = ?, disabled = ?, preferences = ?, updated_at = ? WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(
                        ps,
                        u.displayName(),
                        u.passwordHash(),
                        u.role(),
                        u.disabled() ? 1 : 0,
                        Json.write(u.preferences()),
                        u.updatedAt(),
                        u.workspaceId(),
                        u.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Notes a failed sign-in: the new count of consecutive failures and the lock, if one starts. */
    public void recordFailure(String workspaceId, String id, int failedAttempts, Instant lockedUntil) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE users SET failed_attempts = ?, locked_until = ?" + " WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, failedAttempts, lockedUntil, workspaceId, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Notes a successful sign-in (or an admin's unlock): failures are forgotten and any lock lifted. */
    public void recordSuccess(String workspaceId, String id) {
        recordFailure(workspaceId, id, 0, null);
    }

    public Optional<User> find(String workspaceId, String id) {
        return one("workspace_id = ? AND id = ?", workspaceId, id);
    }

    public Optional<User> findByLogin(String workspaceId, String login) {
        return one("workspace_id = ? AND login = ?", workspaceId, login);
    }

    public Optional<User> findBySso(String workspaceId, String issuer, String subject) {
        return one("workspace_id = ? AND sso_issuer = ? AND sso_subject = ?", workspaceId, issuer, subject);
    }

    /** The workspace's users by login. */
    public List<User> list(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE workspace_id = ? ORDER BY login")) {
                Sql.bind(ps, workspaceId);
                List<User> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(user(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Deletes a user and their sessions; false when there is no such user. */
    public boolean delete(String workspaceId, String id) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sessions WHERE workspace_id = ? AND user_id = ?")) {
                Sql.bind(ps, workspaceId, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, workspaceId, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private Optional<User> one(String where, Object... values) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE " + where)) {
                Sql.bind(ps, values);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(user(rs)) : Optional.<User>empty();
                }
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static User user(ResultSet rs) throws SQLException {
        return new User(
                rs.getString("workspace_id"),
                rs.getString("id"),
                rs.getString("login"),
                rs.getString("display_name"),
                rs.getString("password_hash"),
                rs.getString("role"),
                rs.getInt("failed_attempts"),
                Sql.instant(rs, "locked_until"),
                rs.getInt("disabled") != 0,
                rs.getString("sso_issuer"),
                rs.getString("sso_subject"),
                (Map<String, Object>) Json.read(rs.getString("preferences")),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }
}
