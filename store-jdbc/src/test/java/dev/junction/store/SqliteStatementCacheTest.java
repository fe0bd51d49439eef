package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite writer keeps its prepared statements between batches, and a kept one behaves as a fresh one. */
class SqliteStatementCacheTest {
    private static final String INSERT = "INSERT INTO cache_test (a, b) VALUES (?, ?)";
    private static final String FROM = "SELECT a FROM cache_test WHERE a LIKE ? ORDER BY a";

    @TempDir
    static Path dir;

    static Database db;

    @BeforeAll
    static void open() {
        db = Database.sqlite(dir);
        db.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE cache_test (a TEXT PRIMARY KEY, b TEXT)");
            }
            return null;
        });
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void aStatementIsPreparedOnceAndKeepsNoParameterFromItsLastUse() {
        PreparedStatement first = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, "k1");
                ps.setString(2, "first");
                ps.executeUpdate();
                return ps.unwrap(PreparedStatement.class);
            }
        });
        PreparedStatement second = db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, "k2");
                try {
                    ps.executeUpdate(); // the second value is not bound this time
                } catch (SQLException refused) {
                    // refusing an unbound value is as good as storing none
                }
                return ps.unwrap(PreparedStatement.class);
            }
        });
        assertThat(second).isSameAs(first);
        String stored = db.read(c -> value(c, "k2"));
        assertThat(stored).isNotEqualTo("first");
    }

    @Test
    void theSameStatementPreparedWhileItIsOpenIsASecondStatement() {
        db.write(c -> insert(c, "n1", "n2", "n3"));
        List<String> pairs = db.write(c -> {
            List<String> seen = new ArrayList<>();
            try (PreparedStatement outer = c.prepareStatement(FROM)) {
                outer.setString(1, "n%");
                try (ResultSet rs = outer.executeQuery()) {
                    while (rs.next()) {
                        String a = rs.getString(1);
                        try (PreparedStatement inner = c.prepareStatement(FROM)) {
                            assertThat(inner.unwrap(PreparedStatement.class))
                                    .isNotSameAs(outer.unwrap(PreparedStatement.class));
                            inner.setString(1, "n3");
                            try (ResultSet in = inner.executeQuery()) {
                                in.next();
                                seen.add(a + "/" + in.getString(1));
                            }
                        }
                    }
                }
            }
            return seen;
        });
        assertThat(pairs).containsExactly("n1/n3", "n2/n3", "n3/n3");
    }

    @Test
    void aKeptQueryClosedHalfReadHoldsNoReadOpen() throws Exception {
        db.write(c -> insert(c, "r1", "r2", "r3"));
        db.write(c -> {
            PreparedStatement ps = c.prepareStatement(FROM);
            ps.setString(1, "r%");
            ResultSet rs = ps.executeQuery();
            rs.next(); // two rows left unread, the result set not closed by the work
            ps.close();
            return null;
        });
        // a read still open on the writer's connection would keep the WAL from being checkpointed
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("junction.db"));
                Statement st = other.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            rs.next();
            assertThat(rs.getInt(1)).as("checkpoint blocked").isZero();
        }
    }

    @Test
    void aStatementThatFailedWorksInTheNextBatch() {
        db.write(c -> insert(c, "f1"));
        assertThatThrownBy(() -> db.write(c -> insert(c, "f1"))).hasMessageContaining("UNIQUE");
        db.write(c -> insert(c, "f2"));
        String stored = db.read(c -> value(c, "f2"));
        assertThat(stored).isEqualTo("f2-value");
    }

    private static Void insert(Connection c, String... keys) throws SQLException {
        for (String key : keys) {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setString(1, key);
                ps.setString(2, key + "-value");
                ps.executeUpdate();
            }
        }
        return null;
    }

    private static String value(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT b FROM cache_test WHERE a = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
