package dev.junction.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The relational database behind the stores: SQLite in the data directory (default) or
 * PostgreSQL. Writes run in a transaction each; on SQLite they pass through a single connection so
 * that there is exactly one writer, while reads use a small pool. Migrations run on open.
 * Thread-safe.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource writer;
    private final HikariDataSource reader;
    private final boolean sqlite;

    private Database(HikariDataSource writer, HikariDataSource reader, boolean sqlite) {
        this.writer = writer;
        this.reader = reader;
        this.sqlite = sqlite;
    }

    /**
     * Opens (creating if needed) {@code junction.db} in {@code dataDir}. Durability: WAL with
     * {@code synchronous=FULL}, so a committed write survives a process crash and a power loss.
     */
    public static Database sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "cannot create the data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + dataDir.resolve("junction.db").toAbsolutePath();
        Properties props = new Properties();
        props.setProperty("journal_mode", "WAL");
        props.setProperty("synchronous", "FULL");
        props.setProperty("busy_timeout", "10000");
        props.setProperty("foreign_keys", "true");
        HikariDataSource writer = pool("junction-sqlite-writer", url, null, null, 1, props);
        HikariDataSource reader = pool("junction-sqlite-reader", url, null, null, 4, props);
        return open(new Database(writer, reader, true));
    }

    /** Connects to PostgreSQL at {@code jdbcUrl}. */
    public static Database postgres(String jdbcUrl, String user, String password) {
        HikariDataSource pool = pool("junction-postgres", jdbcUrl, user, password, 10, new Properties());
        return open(new Database(pool, pool, false));
    }

    private static Database open(Database db) {
        try {
            Flyway.configure()
                    .dataSource(db.writer)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            db.close();
            throw new IllegalStateException("the database could not be migrated: " + e.getMessage(), e);
        }
        return db;
    }

    private static HikariDataSource pool(
            String name, String url, String user, String password, int size, Properties props) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setDataSourceProperties(props);
        return new HikariDataSource(config);
    }

    public boolean isSqlite() {
        return sqlite;
    }

    /** Work done with a connection; may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs {@code work} in one transaction and commits it; rolls back on any failure. */
    public <T> T write(Work<T> work) {
        try (Connection c = writer.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Runs a read. */
    public <T> T read(Work<T> work) {
        try (Connection c = reader.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static JunctionException unavailable(SQLException e) {
        return new JunctionException(ErrorCode.INTERNAL, "database error: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        writer.close();
        if (reader != writer) {
            reader.close();
        }
    }
}
