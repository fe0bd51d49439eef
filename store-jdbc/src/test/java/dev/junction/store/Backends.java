package dev.junction.store;

import dev.junction.testkit.RunStoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * The databases the contract suites run on, opened once per JVM: SQLite in a temporary directory
 * and a fresh schema on the PostgreSQL server of the build machine (127.0.0.1:5432, database
 * {@code test}; override with {@code JUNCTION_TEST_PG_URL}).
 */
final class Backends {
    private static Database sqlite;
    private static Database postgres;

    private Backends() {}

    /** The run store, work queue and workspaces of a test database, for the run contracts. */
    static RunStoreFixtures.Backend runs(Callable<Database> database) {
        Database db;
        try {
            db = database.call();
        } catch (Exception e) {
            throw new IllegalStateException("the test database is not available: " + e.getMessage(), e);
        }
        return new RunStoreFixtures.Backend(new JdbcRunStore(db), new JdbcWorkQueue(db), id -> new JdbcWorkspaces(db)
                .create(id, id, Instant.EPOCH));
    }

    static synchronized Database sqlite() throws Exception {
        if (sqlite == null) {
            Path dir = Files.createTempDirectory("junction-sqlite");
            sqlite = Database.sqlite(dir);
        }
        return sqlite;
    }

    static synchronized Database postgres() throws SQLException {
        if (postgres == null) {
            String base = System.getenv().getOrDefault("JUNCTION_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
            String user = System.getenv().getOrDefault("JUNCTION_TEST_PG_USER", "postgres");
            String schema = "junction_test_" + ProcessHandle.current().pid();
            try (Connection c = DriverManager.getConnection(base, user, null);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                s.execute("CREATE SCHEMA " + schema);
            }
            postgres = Database.postgres(base + "?currentSchema=" + schema, user, null);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                postgres.close();
                try (Connection c = DriverManager.getConnection(base, user, null);
                        Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                } catch (SQLException ignored) {
                    // best effort: a leftover schema is dropped by the next run with the same pid
                }
            }));
        }
        return postgres;
    }
}
