package dev.junction.connector.jdbc;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.json.Json;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Statements with bound parameters, rows as JSON values, and SQL errors as stable codes. */
final class Sql {
    private Sql() {}

    /** A statement text with {@code ?} markers and the values to bind, in order. */
    record Bound(String sql, List<Object> values) {}

    /**
     * Binds {@code params}: a list for {@code ?} markers, or an object for {@code :name} markers
     * (rewritten to {@code ?}; quoted text, comments and {@code ::} casts are left alone).
     */
    static Bound bind(String sql, Object params) throws ConnectorException {
        if (params == null) {
            return new Bound(sql, List.of());
        }
        if (params instanceof List<?> list) {
            return new Bound(sql, new ArrayList<>(list));
        }
        if (!(params instanceof Map<?, ?> named)) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "input.params: a list (for ?) or an object (for :name), not " + Json.write(params),
                    false);
        }
        StringBuilder out = new StringBuilder();
        List<Object> values = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char ch = sql.charAt(i);
            if (ch == '\'' || ch == '"' || ch == '`') {
                int end = sql.indexOf(ch, i + 1);
                end = end < 0 ? sql.length() - 1 : end;
                out.append(sql, i, end + 1);
                i = end + 1;
            } else if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end;
            } else if (ch == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (ch == ':' && i + 1 < sql.length() && Character.isJavaIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < sql.length() && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                String name = sql.substring(i + 1, end);
                if (!named.containsKey(name)) {
                    throw new ConnectorException("INPUT_INVALID", "input.params: no value for :" + name, false);
                }
                values.add(named.get(name));
                out.append('?');
                i = end;
            } else {
                out.append(ch);
                i++;
            }
        }
        return new Bound(out.toString(), values);
    }

    static void set(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            set(ps, i + 1, values.get(i));
        }
    }

    static void set(PreparedStatement ps, int at, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(at, Types.NULL);
            case String s -> ps.setString(at, s);
            case Integer n -> ps.setInt(at, n);
            case Long n -> ps.setLong(at, n);
            case Double n -> ps.setDouble(at, n);
            case BigDecimal n -> ps.setBigDecimal(at, n);
            case Number n -> ps.setBigDecimal(at, new BigDecimal(n.toString()));
            case Boolean b -> ps.setBoolean(at, b);
            case Timestamp t -> ps.setTimestamp(at, t);
            default -> ps.setString(at, Json.write(v));
        }
    }

    /** Reads up to {@code max} rows; returns them and whether more were left. */
    static List<Map<String, Object>> rows(ResultSet rs, int max) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Map<String, Object>> out = new ArrayList<>();
        while (out.size() < max && rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 1; c <= n; c++) {
                row.put(md.getColumnLabel(c), value(rs, c, md.getColumnType(c)));
            }
            out.add(row);
        }
        return out;
    }

    static Object value(ResultSet rs, int c, int type) throws SQLException {
        Object v = rs.getObject(c);
        if (v == null) {
            return null;
        }
        if (type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE) {
            Timestamp t = rs.getTimestamp(c);
            return t == null ? String.valueOf(v) : t.toInstant().toString();
        }
        return switch (v) {
            case Boolean b -> b;
            case Integer i -> i;
            case Long l -> l;
            case Short s -> s.intValue();
            case Byte b -> b.intValue();
            case BigDecimal d -> d;
            case Double d -> d;
            case Float f -> f.doubleValue();
            case java.math.BigInteger b -> b;
            case String s -> s;
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            case Blob b -> Base64.getEncoder().encodeToString(b.getBytes(1, (int) b.length()));
            case Clob cl -> cl.getSubString(1, (int) cl.length());
            case Timestamp t -> t.toInstant().toString();
            case OffsetDateTime t -> t.toInstant().toString();
            default -> v.toString();
        };
    }

    /** The stable code of a database failure; the message is the database's own, with its SQLState. */
    static ConnectorException error(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() + (state.isEmpty() ? "" : " (SQLState " + state + ")");
        if (e instanceof SQLTimeoutException || state.equals("57014") || state.equals("70100")) {
            return new ConnectorException("TIMEOUT", message, true, null, null, null);
        }
        if (e instanceof SQLTransientConnectionException || state.startsWith("08")) {
            return new ConnectorException("CONNECTION", message, true, null, null, null);
        }
        if (state.startsWith("28")) {
            return new ConnectorException("AUTH_FAILED", message, false, null, null, null);
        }
        boolean transientConflict = state.equals("40001") || state.equals("40P01");
        return new ConnectorException("SQL_ERROR", message, transientConflict, null, null, null);
    }
}
