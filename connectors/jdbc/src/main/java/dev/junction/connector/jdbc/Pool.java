package dev.junction.connector.jdbc;

import dev.junction.engine.connector.ConnectorException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small, bounded pool of JDBC connections for one connection: at most {@code max} open, idle ones
 * reused (checked with {@code isValid} before reuse), borrowers wait up to the call's timeout. Simple
 * on purpose: a connector session needs a handful of connections, not HikariCP's tuning surface.
 */
final class Pool implements AutoCloseable {
    private final String url;
    private final Properties props;
    private final Semaphore permits;
    private final LinkedBlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
    private volatile boolean closed;

    Pool(String url, String user, String password, int max) {
        this.url = url;
        this.props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        this.permits = new Semaphore(max, true);
    }

    /** Borrows a connection; {@link #release} gives it back. */
    Connection borrow(long waitMillis) throws SQLException, ConnectorException {
        if (closed) {
            throw new ConnectorException("CONNECTION", "the connection was closed", true);
        }
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new ConnectorException(
                        "TIMEOUT", "no database connection became free within " + waitMillis + " ms", true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException("CANCELLED", "interrupted while waiting for a database connection", false);
        }
        try {
            Connection c;
            while ((c = idle.pollFirst()) != null) {
                if (c.isValid(2)) {
                    return c;
                }
                closeQuietly(c);
            }
            return DriverManager.getConnection(url, props);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns {@code c}; a connection in a failed state ({@code broken}) is closed instead. */
    void release(Connection c, boolean broken) {
        try {
            if (broken || closed || c.isClosed()) {
                closeQuietly(c);
            } else {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                idle.offerFirst(c);
            }
        } catch (SQLException e) {
            closeQuietly(c);
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection may fail; it is gone either way
        }
    }
}
