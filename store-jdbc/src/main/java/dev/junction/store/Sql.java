package dev.junction.store;

import dev.junction.engine.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Small conversions between JDBC and Junction's values. */
final class Sql {
    private Sql() {}

    static void bind(PreparedStatement ps, Object... values) throws SQLException {
        bindFrom(ps, 1, values);
    }

    /** Binds {@code values} to the parameters starting at index {@code first} (1-based). */
    static void bindFrom(PreparedStatement ps, int first, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            int at = first + i;
            switch (v) {
                case null -> ps.setNull(at, Types.NULL); // untyped, so PostgreSQL infers the column type
                case Instant t -> ps.setLong(at, t.toEpochMilli());
                case Integer n -> ps.setInt(at, n);
                case Long n -> ps.setLong(at, n);
                case Boolean b -> ps.setBoolean(at, b);
                default -> ps.setString(at, v.toString());
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static String json(Object value) {
        return value == null ? null : Json.write(value);
    }

    static Object json(ResultSet rs, String column) throws SQLException {
        return Json.readNullable(rs.getString(column));
    }

    /** {@code text} for a {@code LIKE ... ESCAPE '!'} pattern: its {@code %}, {@code _} and {@code !} taken literally. */
    static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
