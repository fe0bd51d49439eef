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
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            switch (v) {
                case null -> ps.setNull(i + 1, Types.NULL); // untyped, so PostgreSQL infers the column type
                case Instant t -> ps.setLong(i + 1, t.toEpochMilli());
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                case Boolean b -> ps.setBoolean(i + 1, b);
                default -> ps.setString(i + 1, v.toString());
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
}
