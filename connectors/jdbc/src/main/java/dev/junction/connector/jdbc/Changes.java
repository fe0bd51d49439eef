package dev.junction.connector.jdbc;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.flow.Durations;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The change feed ({@code changes}): new and updated rows of a table by a cursor column (a number
 * such as an id or version, or a timestamp such as {@code updated_at}), for poll triggers.
 *
 * <p>Why an overlap: transactions commit out of order, so a row with a smaller cursor value can
 * become visible after a larger one was read ("id 7 commits after id 8"). Reading strictly after
 * the largest value seen would miss it forever. So each read starts {@code overlap} below the
 * largest value seen ({@code WHERE c >= max - overlap ORDER BY c, key}), and the cursor remembers
 * which {@code (key, cursor value)} pairs inside that window were already emitted, so none is
 * emitted twice; an updated row has a new cursor value and is emitted again, as intended. A row is
 * missed only if its transaction commits more than {@code overlap} behind the newest value
 * (defaults: 1000 for numbers, 5 s for timestamps; choose more than the longest writing
 * transaction). Rows equal at a page boundary are safe: the next read starts at or below them and
 * skips the emitted ones; each read fetches {@code limit} plus the remembered pairs, so a window
 * full of emitted rows cannot stall the feed.
 *
 * <p>The cursor is a JSON object owned by this class: {@code {kind, value, seen: [[key, value]…]}}.
 */
final class Changes {
    static final int DEFAULT_LIMIT = 500;
    static final BigDecimal DEFAULT_NUMBER_OVERLAP = BigDecimal.valueOf(1000);
    static final Duration DEFAULT_TIME_OVERLAP = Duration.ofSeconds(5);

    private final DatabaseSession session;
    private final Dialect dialect;

    Changes(DatabaseSession session, Dialect dialect) {
        this.session = session;
        this.dialect = dialect;
    }

    Map<String, Object> read(Map<?, ?> in, CallContext call) throws ConnectorException {
        String table = dialect.quote(DatabaseSession.text(in, "table"), "table");
        String cursorColumn = DatabaseSession.text(in, "cursorColumn");
        String keyColumn = DatabaseSession.text(in, "keyColumn");
        String c = dialect.quote(cursorColumn, "cursorColumn");
        String k = dialect.quote(keyColumn, "keyColumn");
        int limit = in.get("limit") == null
                ? DEFAULT_LIMIT
                : in.get("limit") instanceof Integer n && n > 0 && n <= 10_000 ? n : -1;
        if (limit < 0) {
            throw DatabaseSession.invalid("limit", "a whole number from 1 to 10000");
        }
        Map<?, ?> cursor = in.get("cursor") instanceof Map<?, ?> m ? m : null;
        if (in.get("cursor") != null && cursor == null) {
            throw DatabaseSession.invalid("cursor", "the cursor of a previous 'changes' answer");
        }
        Object overlapInput = in.get("overlap");
        boolean fromNow = "now".equals(in.get("from"));
        return session.with(call, conn -> {
            String startKind = null;
            Object startValue = null;
            if (cursor == null && fromNow) {
                try (PreparedStatement ps = conn.prepareStatement("SELECT MAX(" + c + ") AS m FROM " + table);
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    startKind = kind(rs.getMetaData().getColumnType(1));
                    startValue = rs.getObject(1) == null ? null : canonical(rs, 1, startKind);
                }
                if (startValue == null) {
                    startKind = null; // an empty table: "now" is the start
                }
            }
            // Starting "now", the rows inside the overlap window count as emitted: read them silently.
            boolean silent = startValue != null;
            String kind = cursor == null ? startKind : String.valueOf(cursor.get("kind"));
            Object value = cursor == null ? startValue : cursor.get("value");
            Set<List<String>> seen = new HashSet<>();
            if (cursor != null && cursor.get("seen") instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (p instanceof List<?> pair && pair.size() == 2) {
                        seen.add(List.of(String.valueOf(pair.get(0)), String.valueOf(pair.get(1))));
                    }
                }
            }
            Object lower = value == null ? null : lowerBound(kind, value, overlapInput);
            String sql = "SELECT * FROM " + table + " WHERE " + c + (lower == null ? " IS NOT NULL" : " >= ?")
                    + " ORDER BY " + c + ", " + k + " LIMIT " + (silent ? Integer.MAX_VALUE : limit + seen.size());
            List<Map<String, Object>> items = new ArrayList<>();
            Object max = value;
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setQueryTimeout(session.timeout(call));
                if (lower != null) {
                    Sql.set(ps, 1, lower);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    int cIndex = rs.findColumn(cursorColumn);
                    int kIndex = rs.findColumn(keyColumn);
                    if (kind == null) {
                        kind = kind(md.getColumnType(cIndex));
                    }
                    while (items.size() < limit && rs.next()) {
                        Object cv = canonical(rs, cIndex, kind);
                        List<String> pair = List.of(String.valueOf(rs.getObject(kIndex)), String.valueOf(cv));
                        if (max == null || compare(kind, cv, max) > 0) {
                            max = cv;
                        }
                        if (!seen.add(pair) || silent) {
                            continue;
                        }
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            row.put(md.getColumnLabel(i), Sql.value(rs, i, md.getColumnType(i)));
                        }
                        items.add(row);
                    }
                }
            }
            Object floor = max == null ? null : lowerBound(kind, max, overlapInput);
            List<List<String>> kept = new ArrayList<>();
            String keptKind = kind;
            for (List<String> pair : seen) {
                if (floor == null
                        || compare(keptKind, parse(keptKind, pair.get(1)), toComparable(keptKind, floor)) >= 0) {
                    kept.add(pair);
                }
            }
            kept.sort((a, b) -> compare(keptKind, parse(keptKind, a.get(1)), parse(keptKind, b.get(1))));
            Map<String, Object> next = new LinkedHashMap<>();
            next.put("kind", kind);
            next.put("value", max);
            next.put("seen", kept);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("items", items);
            out.put("cursor", next);
            return out;
        });
    }

    private static String kind(int sqlType) {
        return switch (sqlType) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE, Types.DATE -> "timestamp";
            case Types.INTEGER,
                    Types.BIGINT,
                    Types.SMALLINT,
                    Types.TINYINT,
                    Types.NUMERIC,
                    Types.DECIMAL,
                    Types.DOUBLE,
                    Types.FLOAT,
                    Types.REAL -> "number";
            default -> "text";
        };
    }

    /** The cursor value of a row as stored in the cursor: a plain number, an ISO instant, or text. */
    private static Object canonical(ResultSet rs, int column, String kind) throws java.sql.SQLException {
        return switch (kind) {
            case "timestamp" -> rs.getTimestamp(column).toInstant().toString();
            case "number" ->
                new BigDecimal(rs.getString(column)).stripTrailingZeros().toPlainString();
            default -> rs.getString(column);
        };
    }

    private Object lowerBound(String kind, Object value, Object overlap) throws ConnectorException {
        return switch (kind) {
            case "number" -> {
                BigDecimal o = overlap == null ? DEFAULT_NUMBER_OVERLAP : number(overlap);
                yield new BigDecimal(String.valueOf(value)).subtract(o);
            }
            case "timestamp" -> {
                Duration o = overlap == null ? DEFAULT_TIME_OVERLAP : duration(overlap);
                yield Timestamp.from(Instant.parse(String.valueOf(value)).minus(o));
            }
            default -> String.valueOf(value);
        };
    }

    private static BigDecimal number(Object overlap) throws ConnectorException {
        try {
            BigDecimal o = new BigDecimal(String.valueOf(overlap));
            if (o.signum() >= 0) {
                return o;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw DatabaseSession.invalid("overlap", "a number ≥ 0 for a number cursor column");
    }

    private static Duration duration(Object overlap) throws ConnectorException {
        if (overlap instanceof Number n && n.longValue() >= 0) {
            return Duration.ofMillis(n.longValue());
        }
        return Durations.parse(String.valueOf(overlap))
                .orElseThrow(() -> DatabaseSession.invalid("overlap", "milliseconds or a duration such as 5s"));
    }

    private static Comparable<?> toComparable(String kind, Object bound) {
        return switch (bound) {
            case Timestamp t -> t.toInstant();
            case BigDecimal d -> d;
            default -> parse(kind, String.valueOf(bound));
        };
    }

    private static Comparable<?> parse(String kind, String text) {
        return switch (kind) {
            case "timestamp" -> Instant.parse(text);
            case "number" -> new BigDecimal(text);
            default -> text;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(String kind, Object a, Object b) {
        Comparable ca = a instanceof Comparable<?> x && !(a instanceof String && !kind.equals("text"))
                ? (Comparable) x
                : parse(kind, String.valueOf(a));
        Comparable cb = b instanceof Comparable<?> y && !(b instanceof String && !kind.equals("text"))
                ? (Comparable) y
                : parse(kind, String.valueOf(b));
        return ca.compareTo(cb);
    }
}
