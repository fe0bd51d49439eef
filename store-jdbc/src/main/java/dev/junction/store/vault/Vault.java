package dev.junction.store.vault;

import dev.junction.store.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets at rest, by envelope encryption: every workspace has a random 256-bit data key, stored
 * wrapped (AES-256-GCM) by the master key; each secret is sealed by its workspace's data key with
 * associated data naming workspace, owner and name. Rotating the master key re-wraps the data keys
 * in one transaction and leaves the secrets untouched, so it is quick and needs no downtime; after
 * it the old master key decrypts nothing. A node started with the new key as current and the old
 * one as previous unwraps either and re-wraps what it reads under the new one (rolling restarts).
 * Thread-safe; unwrapped data keys are cached in memory.
 */
public final class Vault {
    /** The owner of workspace secrets ({@code secrets.<name>} in flows). */
    public static final String WORKSPACE = "workspace";

    private final Database db;
    private final Clock clock;
    private final Map<String, DataKey> cache = new ConcurrentHashMap<>();
    private volatile byte[] master;
    private volatile byte[] previous;

    public Vault(Database db, byte[] masterKey, byte[] previousMasterKey, Clock clock) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes");
        }
        this.db = db;
        this.master = masterKey.clone();
        this.previous = previousMasterKey == null ? null : previousMasterKey.clone();
        this.clock = clock;
    }

    /** Names a secret's stored form: when it was last set. */
    public record SecretInfo(String name, Instant updatedAt) {}

    private record DataKey(String id, byte[] key) {}

    public String masterKeyId() {
        return Aead.keyId(master);
    }

    public void put(String workspaceId, String owner, String name, String value) {
        DataKey dk = dataKey(workspaceId);
        String sealed = Aead.seal(dk.key(), value.getBytes(StandardCharsets.UTF_8), aad(workspaceId, owner, name));
        db.write(c -> {
            try (PreparedStatement del =
                    c.prepareStatement("DELETE FROM secrets WHERE workspace_id = ? AND owner = ? AND name = ?")) {
                bind(del, workspaceId, owner, name);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO secrets (workspace_id, owner, name, data_key_id, ciphertext, updated_at)"
                            + " VALUES (?,?,?,?,?,?)")) {
                bind(ins, workspaceId, owner, name, dk.id(), sealed, clock.millis());
                return ins.executeUpdate();
            }
        });
    }

    public Optional<String> get(String workspaceId, String owner, String name) {
        return Optional.ofNullable(all(workspaceId, owner).get(name));
    }

    /** Every secret of {@code owner}, decrypted, by name. */
    public Map<String, String> all(String workspaceId, String owner) {
        List<String[]> rows = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, data_key_id, ciphertext FROM secrets WHERE workspace_id = ? AND owner = ?"
                            + " ORDER BY name")) {
                bind(ps, workspaceId, owner);
                List<String[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
                return out;
            }
        });
        Map<String, String> out = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return out;
        }
        DataKey dk = dataKey(workspaceId);
        for (String[] row : rows) {
            if (!row[1].equals(dk.id())) {
                throw new VaultException("secret '%s' of %s refers to an unknown data key".formatted(row[0], owner));
            }
            byte[] plain = Aead.open(dk.key(), row[2], aad(workspaceId, owner, row[0]));
            out.put(row[0], new String(plain, StandardCharsets.UTF_8));
        }
        return out;
    }

    public List<SecretInfo> list(String workspaceId, String owner) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name, updated_at FROM secrets WHERE workspace_id = ? AND owner = ? ORDER BY name")) {
                bind(ps, workspaceId, owner);
                List<SecretInfo> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SecretInfo(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
                    }
                }
                return out;
            }
        });
    }

    public boolean delete(String workspaceId, String owner, String name) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM secrets WHERE workspace_id = ? AND owner = ? AND name = ?")) {
                bind(ps, workspaceId, owner, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    public int deleteOwner(String workspaceId, String owner) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM secrets WHERE workspace_id = ? AND owner = ?")) {
                bind(ps, workspaceId, owner);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Re-wraps every data key under {@code newMasterKey} in one transaction; from then on only the
     * new key decrypts. Returns how many data keys were re-wrapped.
     */
    public synchronized int rotate(byte[] newMasterKey) {
        if (newMasterKey.length != 32) {
            throw new IllegalArgumentException("the new master key must be 32 bytes");
        }
        byte[] fresh = newMasterKey.clone();
        int count = db.write(c -> {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT workspace_id, id, master_key_id, wrapped FROM data_keys");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
            for (String[] row : rows) {
                byte[] key = unwrap(row[0], row[1], row[2], row[3]);
                update(c, row[0], row[1], fresh, key);
            }
            return rows.size();
        });
        master = fresh;
        previous = null;
        return count;
    }

    private DataKey dataKey(String workspaceId) {
        DataKey cached = cache.get(workspaceId);
        if (cached != null) {
            return cached;
        }
        DataKey dk = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, master_key_id, wrapped FROM data_keys WHERE workspace_id = ? ORDER BY created_at"
                            + " LIMIT 1")) {
                bind(ps, workspaceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String id = rs.getString(1);
                        String keyId = rs.getString(2);
                        byte[] key = unwrap(workspaceId, id, keyId, rs.getString(3));
                        if (!keyId.equals(Aead.keyId(master))) {
                            update(c, workspaceId, id, master, key); // read under the previous key
                        }
                        return new DataKey(id, key);
                    }
                }
            }
            DataKey created = new DataKey("dk-" + UUID.randomUUID(), Aead.newKey());
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO data_keys (workspace_id, id, master_key_id, wrapped, created_at) VALUES (?,?,?,?,?)")) {
                bind(
                        ins,
                        workspaceId,
                        created.id(),
                        Aead.keyId(master),
                        Aead.seal(master, created.key(), wrapAad(workspaceId, created.id())),
                        clock.millis());
                ins.executeUpdate();
            }
            return created;
        });
        cache.put(workspaceId, dk);
        return dk;
    }

    private byte[] unwrap(String workspaceId, String id, String keyId, String wrapped) {
        byte[] current = master;
        byte[] old = previous;
        byte[] key =
                keyId.equals(Aead.keyId(current)) ? current : old != null && keyId.equals(Aead.keyId(old)) ? old : null;
        if (key == null) {
            throw new VaultException(("the data key of workspace '%s' is wrapped by master key %s, but the configured"
                            + " master key is %s: start with the master key in use (JUNCTION_MASTER_KEY or"
                            + " data/master.key), or pass the old one as JUNCTION_MASTER_KEY_PREVIOUS while rotating")
                    .formatted(workspaceId, keyId, Aead.keyId(current)));
        }
        return Aead.open(key, wrapped, wrapAad(workspaceId, id));
    }

    private void update(Connection c, String workspaceId, String id, byte[] masterKey, byte[] dataKey)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE workspace_id = ? AND id = ?")) {
            bind(ps, Aead.keyId(masterKey), Aead.seal(masterKey, dataKey, wrapAad(workspaceId, id)), workspaceId, id);
            ps.executeUpdate();
        }
    }

    private static String aad(String workspaceId, String owner, String name) {
        return "secret\u0000" + workspaceId + "\u0000" + owner + "\u0000" + name;
    }

    private static String wrapAad(String workspaceId, String id) {
        return "data-key\u0000" + workspaceId + "\u0000" + id;
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }
}
