package dev.junction.connector.jdbc;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.json.Json;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One database connection: a small pool and the operations. Thread-safe. */
final class DatabaseSession implements ConnectorSession {
    static final int DEFAULT_MAX_ROWS = 10_000;

    private final Dialect dialect;
    private final Pool pool;
    private final int queryTimeoutSeconds;

    DatabaseSession(Dialect dialect, Pool pool, int queryTimeoutSeconds) {
        this.dialect = dialect;
        this.pool = pool;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** Work on a borrowed connection. */
    interface Work<T> {
        T apply(Connection c) throws SQLException, ConnectorException;
    }

    <T> T with(CallContext call, Work<T> work) throws ConnectorException {
        long wait = call.timeout() == null ? 30_000 : Math.max(1, call.timeout().toMillis());
        Connection c = null;
        boolean broken = false;
        try {
            c = pool.borrow(wait);
            return work.apply(c);
        } catch (SQLException e) {
            broken = e.getSQLState() != null && e.getSQLState().startsWith("08");
            throw Sql.error(e);
        } finally {
            if (c != null) {
                pool.release(c, broken);
            }
        }
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        Map<?, ?> in = input instanceof Map<?, ?> m ? m : null;
        if (in == null) {
            throw invalid("input", "the input must be an object");
        }
        return switch (operation) {
            case "query" -> query(in, call);
            case "execute" -> execute(in, call);
            case "insert" -> insert(in, call, false);
            case "upsert" -> insert(in, call, true);
            case "call" -> callProcedure(in, call);
            case "changes" -> new Changes(this, dialect).read(in, call);
            default ->
                throw new ConnectorException(
                        "OPERATION_NOT_FOUND",
                        "the database connector has no operation '%s'; it has query, execute, insert, upsert, call, changes"
                                .formatted(operation),
                        false);
        };
    }

    private Object query(Map<?, ?> in, CallContext call) throws ConnectorException {
        Sql.Bound b = Sql.bind(text(in, "sql"), in.get("params"));
        int max = in.get("maxRows") instanceof Integer n && n > 0 ? n : DEFAULT_MAX_ROWS;
        return with(call, c -> {
            try (PreparedStatement ps = c.prepareStatement(b.sql())) {
                ps.setQueryTimeout(timeout(call));
                ps.setMaxRows(max + 1);
                Sql.set(ps, b.values());
                try (ResultSet rs = ps.executeQuery()) {
                    List<Map<String, Object>> rows = Sql.rows(rs, max);
                    boolean more = rs.next();
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("rows", rows);
                    out.put("rowCount", rows.size());
                    out.put("truncated", more);
                    return out;
                }
            }
        });
    }

    private Object execute(Map<?, ?> in, CallContext call) throws ConnectorException {
        Sql.Bound b = Sql.bind(text(in, "sql"), in.get("params"));
        boolean keys = Boolean.TRUE.equals(in.get("returnKeys"));
        return with(call, c -> {
            try (PreparedStatement ps =
                    keys ? c.prepareStatement(b.sql(), Statement.RETURN_GENERATED_KEYS) : c.prepareStatement(b.sql())) {
                ps.setQueryTimeout(timeout(call));
                Sql.set(ps, b.values());
                int updated = ps.executeUpdate();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("updated", updated);
                if (keys) {
                    try (ResultSet rs = ps.getGeneratedKeys()) {
                        out.put("keys", Sql.rows(rs, DEFAULT_MAX_ROWS));
                    }
                }
                return out;
            }
        });
    }

    private Object insert(Map<?, ?> in, CallContext call, boolean upsert) throws ConnectorException {
        String table = dialect.quote(text(in, "table"), "table");
        if (!(in.get("rows") instanceof List<?> rows)
                || rows.isEmpty()
                || !(rows.getFirst() instanceof Map<?, ?> first)) {
            throw invalid("rows", "a non-empty list of objects (column → value)");
        }
        List<String> names = new ArrayList<>();
        first.keySet().forEach(k -> names.add(String.valueOf(k)));
        List<String> columns = new ArrayList<>();
        for (String n : names) {
            columns.add(dialect.quote(n, "rows[0]." + n));
        }
        List<String> key = new ArrayList<>();
        if (upsert) {
            if (!(in.get("key") instanceof List<?> k) || k.isEmpty()) {
                throw invalid("key", "the list of key columns, e.g. [\"id\"]");
            }
            for (Object col : k) {
                if (!names.contains(String.valueOf(col))) {
                    throw invalid("key", "key column '" + col + "' is not among the rows' columns " + names);
                }
                key.add(dialect.quote(String.valueOf(col), "key"));
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (!(rows.get(i) instanceof Map<?, ?> row)
                    || !row.keySet().stream().map(String::valueOf).toList().equals(names)) {
                throw invalid("rows[" + i + "]", "every row must have the same columns as the first: " + names);
            }
        }
        String sql = upsert
                ? dialect.upsert(table, columns, key)
                : "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                        + String.join(", ", columns.stream().map(x -> "?").toList()) + ")";
        return with(call, c -> {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setQueryTimeout(timeout(call));
                for (Object r : rows) {
                    Map<?, ?> row = (Map<?, ?>) r;
                    int at = 1;
                    for (String n : names) {
                        Sql.set(ps, at++, row.get(n));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return Map.of(upsert ? "upserted" : "inserted", rows.size());
        });
    }

    private Object callProcedure(Map<?, ?> in, CallContext call) throws ConnectorException {
        String name = dialect.quote(text(in, "procedure"), "procedure");
        List<?> params = in.get("params") == null ? List.of() : in.get("params") instanceof List<?> l ? l : null;
        if (params == null) {
            throw invalid("params", "a list of arguments");
        }
        String marks = String.join(", ", params.stream().map(x -> "?").toList());
        String sql = "{call " + name + "(" + marks + ")}";
        return with(call, c -> {
            try (CallableStatement cs = c.prepareCall(sql)) {
                cs.setQueryTimeout(timeout(call));
                Sql.set(cs, new ArrayList<>(params));
                boolean hasRows = cs.execute();
                Map<String, Object> out = new LinkedHashMap<>();
                if (hasRows) {
                    try (ResultSet rs = cs.getResultSet()) {
                        out.put("rows", Sql.rows(rs, DEFAULT_MAX_ROWS));
                    }
                } else {
                    out.put("rows", List.of());
                    out.put("updated", Math.max(0, cs.getUpdateCount()));
                }
                return out;
            }
        });
    }

    int timeout(CallContext call) {
        if (call.timeout() == null) {
            return queryTimeoutSeconds;
        }
        return (int) Math.max(
                1, Math.min(queryTimeoutSeconds, Math.ceil(call.timeout().toMillis() / 1000.0)));
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        try {
            with(CallContext.test(Duration.ofSeconds(10)), c -> {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(10);
                    s.execute("SELECT 1");
                }
                return null;
            });
            return TestResult.ok(Duration.ofNanos(System.nanoTime() - t0), "SELECT 1 answered");
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (RuntimeException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0), "CONNECTION", String.valueOf(e.getMessage()));
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return DatabaseConnector.DESCRIPTOR.operations();
    }

    @Override
    public void close() {
        pool.close();
    }

    static String text(Map<?, ?> in, String field) throws ConnectorException {
        if (!(in.get(field) instanceof String s) || s.isBlank()) {
            throw invalid(field, "required text");
        }
        return s;
    }

    static ConnectorException invalid(String field, String message) {
        return new ConnectorException("INPUT_INVALID", "input." + field + ": " + message, false);
    }

    @Override
    public String toString() {
        return "DatabaseSession[" + dialect + "]" + Json.write(Map.of());
    }
}
