package dev.junction.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational database behind the stores: SQLite in the data directory (default) or
 * PostgreSQL. On SQLite every write goes through one writer thread that group-commits ({@link
 * GroupCommit}), while reads use a small pool; on PostgreSQL writes run in a transaction each on a
 * pool. Migrations run on open; a damaged SQLite file stops the opening with a message that says
 * how to restore. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource writer;
    private final HikariDataSource reader;
    private final GroupCommit groupCommit;
    private final WalSync wal;
    private final String url;
    private final String user;
    private final String password;
    private volatile boolean closed;
    private volatile boolean strict;

    private Database(
            HikariDataSource writer, HikariDataSource reader, WalSync wal, String url, String user, String password) {
        this.writer = writer;
        this.reader = reader;
        this.wal = wal;
        this.groupCommit = wal != null ? new GroupCommit(writer, wal) : null;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Opens (creating if needed) {@code junction.db} in {@code dataDir}, in WAL mode. Writes commit
     * with {@code synchronous=NORMAL} and power-safe ones return only after the log is synced
     * ({@link GroupCommit}): a committed power-safe write survives a process crash and a power loss.
     */
    public static Database sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "cannot create the data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Path file = dataDir.resolve("junction.db").toAbsolutePath();
        String url = "jdbc:sqlite:" + file;
        checkIntegrity(file, url);
        Properties props = new Properties();
        props.setProperty("journal_mode", "WAL");
        props.setProperty("synchronous", "NORMAL"); // the log is synced by GroupCommit's second thread
        props.setProperty("busy_timeout", "10000");
        props.setProperty("foreign_keys", "true");
        HikariDataSource writer = pool("junction-sqlite-writer", url, null, null, 1, props);
        HikariDataSource reader = pool("junction-sqlite-reader", url, null, null, 4, props);
        try {
            requireWal(writer, file);
        } catch (RuntimeException e) {
            writer.close();
            reader.close();
            throw e;
        }
        Path log = file.resolveSibling(file.getFileName() + "-wal");
        return open(new Database(writer, reader, WalSync.of(log), url, null, null));
    }

    /** Power-safe commits rely on the write-ahead log; a file system where SQLite cannot keep one is refused. */
    private static void requireWal(HikariDataSource writer, Path file) {
        String mode;
        try (Connection c = writer.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            mode = rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
        if (!"wal".equalsIgnoreCase(mode)) {
            throw new StartupRefusedException(
                    "SQLite could not put %s in write-ahead-log mode (it reports journal_mode=%s), which Junction's durability relies on; keep the data directory on a local file system that supports it (see docs/operations.md)"
                            .formatted(file, mode));
        }
    }

    /**
     * Refuses a database file that is not intact: a truncated or overwritten file would otherwise
     * be run on, or silently replaced. {@code quick_check} reads every page once.
     */
    private static void checkIntegrity(Path file, String url) {
        if (!Files.exists(file)) {
            return;
        }
        String problem;
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            problem = rs.next() && "ok".equalsIgnoreCase(rs.getString(1)) ? null : rs.getString(1);
        } catch (SQLException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            throw new StartupRefusedException("""
                    the database file %s is damaged (%s).
                    Junction will not run on damaged data. To restore: stop Junction, move the damaged file \
                    (and junction.db-wal, junction.db-shm next to it) aside, copy your latest backup to %s, \
                    and start again. See docs/operations.md, "Backup and restore".""".formatted(file, problem, file));
        }
    }

    /** Connects to PostgreSQL at {@code jdbcUrl}. */
    public static Database postgres(String jdbcUrl, String user, String password) {
        HikariDataSource pool = pool("junction-postgres", jdbcUrl, user, password, 16, new Properties());
        return open(new Database(pool, pool, null, jdbcUrl, user, password));
    }

    private static Database open(Database db) {
        try {
            Flyway.configure()
                    .dataSource(db.writer)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            if (db.wal != null) {
                db.wal.sync(); // the migrations were committed like crash-safe writes
            }
        } catch (java.io.IOException e) {
            db.close();
            throw new IllegalStateException("the migrated database could not be synced to disk: " + e.getMessage(), e);
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
        config.setConnectionTimeout(3_000); // how long ingress waits for the database before it answers 503
        config.setInitializationFailTimeout(10_000);
        config.setDataSourceProperties(props);
        return new HikariDataSource(config);
    }

    public boolean isSqlite() {
        return groupCommit != null;
    }

    /** Work done with a connection; may throw {@link SQLException}. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and commits it power-safe; rolls back on any failure.
     * Returns only once the commit is durable. Throws {@code UNAVAILABLE} when the database cannot
     * be reached.
     */
    public <T> T write(Work<T> work) {
        return write(Durability.POWER_SAFE, work);
    }

    /**
     * Runs {@code work} in one transaction with the given durability (raised to power-safe when
     * the database was opened strict); see {@link Durability}.
     */
    public <T> T write(Durability durability, Work<T> work) {
        boolean powerSafe = strict || durability == Durability.POWER_SAFE;
        if (groupCommit != null) {
            try {
                return groupCommit.submit(work, powerSafe);
            } catch (SQLException e) {
                throw unavailable(e);
            }
        }
        try (Connection c = writer.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!powerSafe) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SET LOCAL synchronous_commit = off");
                    }
                }
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** What {@link #writeCommitted} returns: the work's result, and when it is power-safe. */
    public record Committed<T>(T value, CompletableFuture<Void> durable) {}

    /**
     * Runs {@code work} as a power-safe write that returns at its commit, before it is known to
     * survive a power loss: {@code durable} completes then, or fails with {@code UNAVAILABLE}.
     * For work that may go on (a run may start) but must not be acknowledged before it is durable.
     * On PostgreSQL, whose commit is durable, {@code durable} has completed already.
     */
    public <T> Committed<T> writeCommitted(Work<T> work) {
        if (groupCommit == null) {
            return new Committed<>(write(work), CompletableFuture.completedFuture(null));
        }
        CompletableFuture<Void> synced = new CompletableFuture<>();
        T value;
        try {
            value = groupCommit.submitCommitted(work, synced);
        } catch (SQLException e) {
            throw unavailable(e);
        }
        return new Committed<>(
                value,
                synced.exceptionallyCompose(
                        e -> CompletableFuture.failedFuture(e instanceof SQLException s ? unavailable(s) : e)));
    }

    /** Every write power-safe from now on ({@code JUNCTION_DURABILITY=strict}). */
    public Database strict() {
        this.strict = true;
        return this;
    }

    /** Rolls back without letting a failed rollback (say, on a lost connection) hide why. */
    static void rollback(Connection c, Exception why) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            why.addSuppressed(e);
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

    /**
     * A failure to reach the database (connection refused or lost, pool timeout, SQLite busy or
     * out of disk) is {@code UNAVAILABLE} and retryable; anything else is a defect ({@code INTERNAL}).
     */
    private static JunctionException unavailable(SQLException e) {
        if (!reachability(e)) {
            return new JunctionException(ErrorCode.INTERNAL, "database error: " + e.getMessage(), e);
        }
        return new JunctionException(
                ErrorCode.UNAVAILABLE, "the database is unavailable: " + e.getMessage(), Duration.ofSeconds(5), e);
    }

    private static boolean reachability(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"))) {
                    return true;
                }
                if (t instanceof org.sqlite.SQLiteException lite) {
                    switch (lite.getResultCode().code & 0xff) {
                        case 5, 6, 10, 13, 14 -> { // BUSY, LOCKED, IOERR, FULL, CANTOPEN
                            return true;
                        }
                        default -> {}
                    }
                }
            }
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.contains("database is closed") || message.contains("Connection is closed");
    }

    /**
     * Calls {@code onNotify} whenever PostgreSQL delivers a notification on {@code channel}, on a
     * daemon thread that reconnects after failures; also once a second as a fallback poll. Does
     * nothing on SQLite (one node, woken in-process). Returns the listening thread, or null.
     */
    public Thread listen(String channel, Runnable onNotify) {
        if (isSqlite()) {
            return null;
        }
        return Thread.ofPlatform().daemon().name("junction-listen-" + channel).start(() -> {
            while (!closed) {
                try (Connection c = DriverManager.getConnection(url, user, password)) {
                    try (Statement st = c.createStatement()) {
                        st.execute("LISTEN " + channel);
                    }
                    var pg = c.unwrap(org.postgresql.PGConnection.class);
                    while (!closed) {
                        var notes = pg.getNotifications(1000);
                        if (notes != null && notes.length > 0) {
                            onNotify.run();
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("listening on {} failed, retrying: {}", channel, e.toString());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        if (groupCommit != null) {
            groupCommit.close();
        }
        writer.close();
        if (reader != writer) {
            reader.close();
        }
    }
}
