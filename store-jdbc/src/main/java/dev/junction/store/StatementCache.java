package dev.junction.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQLite writer's prepared statements, kept from one transaction to the next. SQLite compiles
 * a statement each time it is prepared (about 10 µs for a run's insert) and the stores prepare the
 * same few dozen statements all day. {@link #view} gives a work its connection with {@code
 * prepareStatement(sql)} answered from here; closing such a statement closes the result sets it
 * gave out (which resets it, so it holds no read open) and clears its parameters, instead of
 * finalising it. The same SQL prepared again while its kept statement is still open gets a fresh,
 * ordinary statement. Statements are prepared on the driver's connection behind the pool's, so
 * the pool's closing of its connection does not close them; when the pool hands out another
 * driver connection the kept ones are dropped. Only the writer thread uses it.
 */
final class StatementCache implements AutoCloseable {
    static final int MAX_STATEMENTS = 256;
    private static final Class<?>[] CONNECTION = {Connection.class};
    private static final Class<?>[] PREPARED = {PreparedStatement.class};

    private final Map<String, Kept> kept = new HashMap<>();
    private Connection driver;

    /** {@code pooled} as a work sees it; valid until the work returns. */
    Connection view(Connection pooled) throws SQLException {
        Connection underneath = pooled.unwrap(Connection.class);
        if (underneath != driver) {
            close();
            driver = underneath;
        }
        return (Connection)
                Proxy.newProxyInstance(StatementCache.class.getClassLoader(), CONNECTION, (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
                        return prepare(pooled, (String) args[0]);
                    }
                    return call(pooled, method, args);
                });
    }

    /** Gives back every statement a work left open (a work that failed half-way, say). */
    void release() throws SQLException {
        for (Kept k : kept.values()) {
            k.release();
        }
    }

    private PreparedStatement prepare(Connection pooled, String sql) throws SQLException {
        Kept k = kept.get(sql);
        if (k == null) {
            if (kept.size() >= MAX_STATEMENTS) {
                return pooled.prepareStatement(sql);
            }
            k = new Kept(driver.prepareStatement(sql));
            kept.put(sql, k);
        } else if (k.current != null) {
            return pooled.prepareStatement(sql);
        }
        return k.lend();
    }

    /** Finalises the kept statements. */
    @Override
    public void close() {
        for (Kept k : kept.values()) {
            try {
                k.statement.close();
            } catch (SQLException | RuntimeException e) {
                // the driver connection is gone, and its statements with it
            }
        }
        kept.clear();
        driver = null;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One kept statement, and whether a work holds it now. */
    private static final class Kept {
        final PreparedStatement statement;
        final List<ResultSet> results = new ArrayList<>(1);
        Loan current; // null while no work holds it

        Kept(PreparedStatement statement) {
            this.statement = statement;
        }

        PreparedStatement lend() {
            current = new Loan(this);
            return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), PREPARED, current);
        }

        void release() throws SQLException {
            if (current == null) {
                return;
            }
            current = null;
            try {
                for (ResultSet rs : results) {
                    rs.close();
                }
            } finally {
                results.clear();
                statement.clearParameters();
                statement.clearBatch();
            }
        }
    }

    /** A work's hold on a kept statement, until it closes it (or its batch ends). */
    private static final class Loan implements InvocationHandler {
        private final Kept kept;

        Loan(Kept kept) {
            this.kept = kept;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            boolean held = kept.current == this;
            switch (method.getName()) {
                case "close" -> {
                    if (held) {
                        kept.release();
                    }
                    return null;
                }
                case "isClosed" -> {
                    return !held;
                }
                default -> {
                    if (!held) {
                        throw new SQLException("the statement is closed");
                    }
                    Object result = call(kept.statement, method, args);
                    if (result instanceof ResultSet rs) {
                        kept.results.add(rs);
                    }
                    return result;
                }
            }
        }
    }
}
