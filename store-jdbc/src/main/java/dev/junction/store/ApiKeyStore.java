package dev.junction.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
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

    public Optional<ApiKey> find(String clearKey) {
        String hash = hash(clearKey);
        return db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id, workspace_id, name, role FROM api_keys WHERE key_hash = ?")) {
                Sql.bind(ps, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(
                                    new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                            : Optional.<ApiKey>empty();
                }
            }
        });
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
