package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.store.vault.Vault;
import dev.junction.store.vault.VaultException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The vault on SQLite and PostgreSQL: envelope encryption, tamper detection, master-key rotation. */
class VaultTest {
    private static final byte[] KEY_1 = key(1);
    private static final byte[] KEY_2 = key(2);

    static Stream<Database> backends() throws Exception {
        return Stream.of(Backends.sqlite(), Backends.postgres());
    }

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private static String workspace(Database db) {
        String id = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, 0)")) {
                ps.setString(1, id);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
        return id;
    }

    private static String stored(Database db, String ws) {
        return db.read(c -> {
            StringBuilder all = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT s.ciphertext, d.wrapped FROM secrets s JOIN data_keys d"
                            + " ON d.workspace_id = s.workspace_id AND d.id = s.data_key_id WHERE s.workspace_id = ?")) {
                ps.setString(1, ws);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append(rs.getString(2));
                    }
                }
            }
            return all.toString();
        });
    }

    @ParameterizedTest(autoCloseArguments = false) // the databases are shared by the whole test JVM
    @MethodSource("backends")
    void secretsRoundTripAndAreNotStoredInClear(Database db) {
        String ws = workspace(db);
        Vault vault = new Vault(db, KEY_1, null, Clock.systemUTC());
        vault.put(ws, Vault.WORKSPACE, "erpToken", "tok-very-secret-123");
        vault.put(ws, "connection:crm", "password", "hunter2-hunter2");
        assertThat(vault.get(ws, Vault.WORKSPACE, "erpToken")).contains("tok-very-secret-123");
        assertThat(vault.all(ws, "connection:crm")).isEqualTo(Map.of("password", "hunter2-hunter2"));
        assertThat(stored(db, ws))
                .isNotEmpty()
                .doesNotContain("tok-very-secret-123")
                .doesNotContain("hunter2");
        assertThat(new Vault(db, KEY_1, null, Clock.systemUTC()).get(ws, Vault.WORKSPACE, "erpToken"))
                .contains("tok-very-secret-123");
        assertThat(vault.delete(ws, Vault.WORKSPACE, "erpToken")).isTrue();
        assertThat(vault.get(ws, Vault.WORKSPACE, "erpToken")).isEmpty();
    }

    @ParameterizedTest(autoCloseArguments = false) // the databases are shared by the whole test JVM
    @MethodSource("backends")
    void aChangedOrMovedCiphertextDoesNotDecrypt(Database db) {
        String ws = workspace(db);
        Vault vault = new Vault(db, KEY_1, null, Clock.systemUTC());
        vault.put(ws, Vault.WORKSPACE, "a", "value-of-a");
        db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE secrets SET name = 'b' WHERE workspace_id = ? AND name = 'a'")) {
                ps.setString(1, ws);
                return ps.executeUpdate();
            }
        });
        assertThatThrownBy(() -> vault.get(ws, Vault.WORKSPACE, "b"))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("changed");
    }

    @ParameterizedTest(autoCloseArguments = false) // the databases are shared by the whole test JVM
    @MethodSource("backends")
    void rotationRewrapsDataKeysAndTheOldKeyNoLongerDecrypts(Database db) {
        String ws = workspace(db);
        Vault vault = new Vault(db, KEY_1, null, Clock.systemUTC());
        vault.put(ws, Vault.WORKSPACE, "token", "rotate-me-please");
        try {
            assertThat(vault.rotate(KEY_2)).isPositive();
            assertThat(vault.get(ws, Vault.WORKSPACE, "token")).contains("rotate-me-please");
            assertThat(new Vault(db, KEY_2, null, Clock.systemUTC()).get(ws, Vault.WORKSPACE, "token"))
                    .contains("rotate-me-please");
            assertThatThrownBy(() -> new Vault(db, KEY_1, null, Clock.systemUTC()).get(ws, Vault.WORKSPACE, "token"))
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("JUNCTION_MASTER_KEY_PREVIOUS");
        } finally {
            new Vault(db, KEY_2, null, Clock.systemUTC()).rotate(KEY_1); // other tests share this database
        }
        // rolling restart: a node with the new key as current and the old one as previous reads both
        Vault rolling = new Vault(db, KEY_2, KEY_1, Clock.systemUTC());
        assertThat(rolling.get(ws, Vault.WORKSPACE, "token")).contains("rotate-me-please");
        assertThat(new Vault(db, KEY_2, null, Clock.systemUTC()).get(ws, Vault.WORKSPACE, "token"))
                .contains("rotate-me-please");
        new Vault(db, KEY_2, null, Clock.systemUTC()).rotate(KEY_1);
    }
}
