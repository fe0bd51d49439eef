package dev.junction.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions (table {@code sessions}), found by the SHA-256 of the cookie's token; the CSRF
 * token is kept as a SHA-256 too. The caller judges expiry. Thread-safe.
 */
public final class JdbcSessions {
    /** One session as stored. */
    public record Session(
            String id,
            String workspaceId,
            String userId,
            String csrfHash,
            Instant createdAt,
            Instant expiresAt,
            Instant lastSeenAt) {}

    private final Database db;

    public JdbcSessions(Database db) {
        this.db = db;
    }

    public void insert(Session s) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (id, workspace_id, user_id,"
                    + " csrf_hash, created_at, expires_at, last_seen_at) VALUES (?,?,?,?,?,?,?)")) {
                Sql.bind(
                        ps,
                        s.id(),
                        s.workspaceId(),
                        s.userId(),
                        s.csrfHash(),
                        s.createdAt(),
                        s.expiresAt(),
                        s.lastSeenAt());
                return ps.executeUpdate();
            }
        });
    }

    /** The session whose id (the hash of its token) is {@code id}, whatever its expiry. */
    public Optional<Session> find(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, workspace_id, user_id, csrf_hash, created_at,"
                    + " expires_at, last_seen_at FROM sessions WHERE id = ?")) {
                Sql.bind(ps, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Session(
                                    rs.getString("id"),
                                    rs.getString("workspace_id"),
                                    rs.getString("user_id"),
                                    rs.getString("csrf_hash"),
                                    Sql.instant(rs, "created_at"),
                                    Sql.instant(rs, "expires_at"),
                                    Sql.instant(rs, "last_seen_at")))
                            : Optional.<Session>empty();
                }
            }
        });
    }

    /** Records that a session was used (callers throttle this: it is a write). */
    public void touch(String workspaceId, String id, Instant at) {
        db.write(Durability.CRASH_SAFE, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE sessions SET last_seen_at = ? WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, at, workspaceId, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Ends one session; false when there was none. */
    public boolean delete(String workspaceId, String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE workspace_id = ? AND id = ?")) {
                Sql.bind(ps, workspaceId, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Ends every session of a user; returns how many. */
    public int deleteForUser(String workspaceId, String userId) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sessions WHERE workspace_id = ? AND user_id = ?")) {
                Sql.bind(ps, workspaceId, userId);
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes the workspace's sessions that expired before {@code now}; returns how many. */
    public int purgeExpired(String workspaceId, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM sessions WHERE workspace_id = ? AND expires_at <= ?")) {
                Sql.bind(ps, workspaceId, now);
                return ps.executeUpdate();
            }
        });
    }
}
