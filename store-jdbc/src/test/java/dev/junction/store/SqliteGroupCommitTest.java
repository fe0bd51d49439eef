package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite writer answers a power-safe write only after a sync of the log that began after its
 * commit, and does not hold other writes back while the log is being synced.
 */
class SqliteGroupCommitTest {
    @TempDir
    Path dir;

    private SQLiteDataSource data;

    @BeforeEach
    void open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        data = new SQLiteDataSource(config);
        data.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
        try (Connection c = data.getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
        }
    }

    @Test
    void everyPowerSafeWriteIsAnsweredAfterASyncThatBeganAfterItsCommit() throws Exception {
        Set<String> synced = ConcurrentHashMap.newKeySet(); // what was committed when a sync began
        WalSync recording = () -> synced.addAll(keys());
        List<String> early = new ArrayList<>();
        try (GroupCommit writer = new GroupCommit(data, recording);
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "k" + i;
                writes.add(callers.submit(() -> {
                    writer.submit(insert(key), true);
                    return synced.contains(key) ? null : key; // answered before a sync covered it
                }));
            }
            for (Future<String> write : writes) {
                if (write.get() != null) {
                    early.add(write.get());
                }
            }
        }
        assertThat(early).isEmpty();
        assertThat(keys()).hasSize(200);
    }

    @Test
    void crashSafeWritesGoOnWhileTheLogIsBeingSynced() throws Exception {
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WalSync slow = () -> {
            syncing.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        };
        try (GroupCommit writer = new GroupCommit(data, slow);
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> powerSafe = callers.submit(() -> writer.submit(insert("durable"), true));
            assertThat(syncing.await(10, TimeUnit.SECONDS))
                    .as("the power-safe write waits for a sync of the log")
                    .isTrue();
            assertThat(keys()).contains("durable"); // committed before the sync began

            writer.submit(insert("meanwhile"), false);

            assertThat(powerSafe.isDone()).isFalse();
            assertThat(keys()).contains("meanwhile");
            release.countDown();
            assertThat(powerSafe.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void aWriteAnsweredAtItsCommitLearnsLaterWhenItIsDurable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WalSync slow = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        };
        try (GroupCommit writer = new GroupCommit(data, slow)) {
            CompletableFuture<Void> synced = new CompletableFuture<>();

            assertThat(writer.submitCommitted(insert("early"), synced)).isEqualTo(1);

            assertThat(keys()).contains("early");
            assertThat(synced.isDone()).isFalse();
            release.countDown();
            synced.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailedSyncFailsThePowerSafeWritesItWasFor() throws Exception {
        WalSync broken = () -> {
            throw new IOException("Input/output error");
        };
        try (GroupCommit writer = new GroupCommit(data, broken)) {
            assertThatThrownBy(() -> writer.submit(insert("lost?"), true))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("could not be synced to disk")
                    .hasMessageContaining("Input/output error");
            assertThat(writer.submit(insert("crash-safe"), false)).isEqualTo(1);
            CompletableFuture<Void> synced = new CompletableFuture<>();
            assertThat(writer.submitCommitted(insert("early"), synced)).isEqualTo(1);
            assertThatThrownBy(() -> synced.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("could not be synced to disk");
        }
    }

    @Test
    void theRealSyncFindsTheLogOrHasNothingLeftToSync() throws Exception {
        Path log = dir.resolve("t.db-wal");
        try (Connection open = data.getConnection()) { // the log exists while a connection is open
            assertThat(log).exists();
            WalSync.of(log).sync();
            WalSync.of(log).sync();
        }
        Path gone = dir.resolve("other.db-wal");
        assertThat(Files.exists(gone)).isFalse();
        WalSync.of(gone).sync(); // checkpointed and removed: nothing left to sync
    }

    private static Database.Work<Integer> insert(String key) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
                ps.setString(1, key);
                return ps.executeUpdate();
            }
        };
    }

    private Set<String> keys() {
        try (Connection c = data.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT k FROM t")) {
            Set<String> keys = new HashSet<>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
