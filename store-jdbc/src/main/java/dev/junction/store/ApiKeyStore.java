package dev.junction.store;

import dev.junction.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys, stored as SHA-256 hashes (keys are long random secrets, so a fast hash is enough;
 * the clear key is shown once and never stored).
 */
public final class ApiKeyStore {
    private final Database db;

    public ApiKeyStore(Database db) {
        this.db = db;
    }

    /** A key's identity: whose it is and what it may do. */
    public record ApiKey(String id, String workspaceId, String name, String role) {}

    public static String hash(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Stores a key by its hash, replacing the key with the same id (which then stops working). */
    public void replace(ApiKey key, String clearKey, Instant at) {
        db.write(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM api_keys WHERE id = ?")) {
                Sql.bind(del, key.id());
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_keys (workspace_id, id, name, key_hash, role, created_at) VALUES (?,?,?,?,?,?)")) {
                Sql.bind(ps, key.workspaceId(), key.id(), key.name(), hash(clearKey), key.role(), at);
                return ps.executeUpdate();
            }
        });
    }

    public boolean exists(String keyId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys WHERE id = ?")) {
                Sql.bind(ps, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /**
     * A key as stored: its identity and its life (created, last used, expiry, revocation), the flows
     * it is restricted to (null: all), who created it, and whether its workspace is archived.
     */
    public record StoredKey(
            ApiKey key,
            Instant createdAt,
            Instant lastUsedAt,
            Instant expiresAt,
            Instant revokedAt,
            List<String> flows,
            String createdBy,
            boolean workspaceArchived) {}

    private static final String STORED = "SELECT k.id, k.workspace_id, k.name, k.role, k.created_at, k.last_used_at,"
            + " k.expires_at, k.revoked_at, k.flows, k.created_by, w.archived_at FROM api_keys k"
            + " JOIN workspaces w ON w.id = k.workspace_id";

    /** The key whose clear text is {@code clearKey}, whatever its state (the caller judges expiry and revocation). */
    public Optional<StoredKey> find(String clearKey) {
        String hash = hash(clearKey);
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(STORED + " WHERE k.key_hash = ?")) {
                Sql.bind(ps, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(stored(rs)) : Optional.<StoredKey>empty();
                }
            }
        });
    }

    /** The workspace's keys, newest first (revoked ones too, for the record). */
    public List<StoredKey> list(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement(STORED + " WHERE k.workspace_id = ? ORDER BY k.created_at DESC, k.id")) {
                Sql.bind(ps, workspaceId);
                List<StoredKey> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(stored(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Stores a new key by its hash. */
    public void create(StoredKey k, String clearKey) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (workspace_id, id, name, key_hash,"
                    + " role, created_at, expires_at, flows, created_by) VALUES (?,?,?,?,?,?,?,?,?)")) {
                Sql.bind(
                        ps,
                        k.key().workspaceId(),
                        k.key().id(),
                        k.key().name(),
                        hash(clearKey),
                        k.key().role(),
                        k.createdAt(),
                        k.expiresAt(),
                        k.flows() == null ? null : Json.write(k.flows()),
                        k.createdBy());
                return ps.executeUpdate();
            }
        });
    }

    /** Revokes a key of the workspace at once; false when there is no such unrevoked key. */
    public boolean revoke(String workspaceId, String id, Instant at) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_keys SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL")) {
                Sql.bind(ps, at, workspaceId, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Records that a key was used (callers throttle this: it is a write). */
    public void touch(String id, Instant at) {
        db.write(Durability.CRASH_SAFE, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET last_used_at = ? WHERE id = ?")) {
                Sql.bind(ps, at, id);
                return ps.executeUpdate();
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static StoredKey stored(ResultSet rs) throws java.sql.SQLException {
        String flows = rs.getString("flows");
        return new StoredKey(
                new ApiKey(
                        rs.getString("id"), rs.getString("workspace_id"), rs.getString("name"), rs.getString("role")),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "last_used_at"),
                Sql.instant(rs, "expires_at"),
                Sql.instant(rs, "revoked_at"),
                flows == null ? null : List.copyOf((List<String>) Json.read(flows)),
                rs.getString("created_by"),
                Sql.instant(rs, "archived_at") != null);
    }

    public boolean workspaceExists(String workspaceId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM workspaces WHERE id = ?")) {
                Sql.bind(ps, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
