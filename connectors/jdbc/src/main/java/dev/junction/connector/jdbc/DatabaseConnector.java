package dev.junction.connector.jdbc;

import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Databases over JDBC: PostgreSQL, MariaDB/MySQL and SQLite. Operations {@code query},
 * {@code execute}, {@code insert}, {@code upsert}, {@code call} and the pollable change feed
 * {@code changes}. Values are always bound as parameters, never spliced into SQL; table and column
 * names are validated and quoted.
 */
public final class DatabaseConnector implements Connector {
    private static final Map<String, Object> PARAMS =
            Map.of("description", "a list for ? markers, or an object for :name markers");
    private static final Map<String, Object> ROWS = Map.of(
            "type",
            "object",
            "properties",
            Map.of("rows", Map.of("type", "array"), "rowCount", Map.of("type", "integer")));

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            "database",
            "Database (JDBC)",
            "PostgreSQL, MariaDB/MySQL and SQLite: parameterised queries, batch insert and upsert, procedures,"
                    + " and a change feed by cursor column for poll triggers.",
            Map.of(
                    "type",
                    "object",
                    "required",
                    List.of("url"),
                    "additionalProperties",
                    false,
                    "properties",
                    Map.of(
                            "url",
                            Map.of("type", "string", "pattern", "^jdbc:(postgresql|mariadb|mysql|sqlite):"),
                            "username",
                            Map.of("type", "string"),
                            "password",
                            Map.of("type", "string", "writeOnly", true),
                            "maxPoolSize",
                            Map.of("type", "integer", "minimum", 1, "maximum", 32, "default", 4),
                            "queryTimeout",
                            Map.of("type", "integer", "minimum", 1, "maximum", 3600, "default", 30))),
            List.of("none"),
            List.of(
                    op(
                            "query",
                            "Runs a SELECT; answers {rows, rowCount, truncated}",
                            Map.of(
                                    "sql",
                                    Map.of("type", "string"),
                                    "params",
                                    PARAMS,
                                    "maxRows",
                                    Map.of("type", "integer")),
                            List.of("sql"),
                            ROWS,
                            false),
                    op(
                            "execute",
                            "Runs INSERT/UPDATE/DELETE/DDL; answers {updated, keys}",
                            Map.of(
                                    "sql",
                                    Map.of("type", "string"),
                                    "params",
                                    PARAMS,
                                    "returnKeys",
                                    Map.of("type", "boolean")),
                            List.of("sql"),
                            Map.of("type", "object"),
                            false),
                    op(
                            "insert",
                            "Inserts rows in one batch; answers {inserted}",
                            Map.of("table", Map.of("type", "string"), "rows", Map.of("type", "array")),
                            List.of("table", "rows"),
                            Map.of("type", "object"),
                            false),
                    op(
                            "upsert",
                            "Inserts or updates rows by key in one transaction; answers {upserted}",
                            Map.of(
                                    "table", Map.of("type", "string"),
                                    "key", Map.of("type", "array", "items", Map.of("type", "string")),
                                    "rows", Map.of("type", "array")),
                            List.of("table", "key", "rows"),
                            Map.of("type", "object"),
                            false),
                    op(
                            "call",
                            "Calls a stored procedure or function; answers {rows, updated}",
                            Map.of("procedure", Map.of("type", "string"), "params", Map.of("type", "array")),
                            List.of("procedure"),
                            ROWS,
                            false),
                    op(
                            "changes",
                            "New and updated rows by a cursor column; answers {items, cursor}",
                            Map.of(
                                    "table", Map.of("type", "string"),
                                    "cursorColumn", Map.of("type", "string"),
                                    "keyColumn", Map.of("type", "string"),
                                    "cursor", Map.of("description", "the cursor of the previous answer (opaque)"),
                                    "overlap",
                                            Map.of(
                                                    "description",
                                                    "how far behind the newest value late commits may land: a number for number columns, milliseconds or a duration for timestamps"),
                                    "limit", Map.of("type", "integer", "minimum", 1, "maximum", 10000),
                                    "from", Map.of("type", "string", "enum", List.of("start", "now"))),
                            List.of("table", "cursorColumn", "keyColumn"),
                            Map.of("type", "object"),
                            true)),
            List.of("poll"),
            false);

    private static ConnectorDescriptor.Operation op(
            String name,
            String description,
            Map<String, Object> props,
            List<String> required,
            Map<String, Object> output,
            boolean pollable) {
        return new ConnectorDescriptor.Operation(
                name,
                description,
                Map.of("type", "object", "properties", props, "required", required),
                output,
                pollable);
    }

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) throws ConnectorException {
        String url = config.text("url", "");
        Dialect dialect = Dialect.of(url);
        for (String host : hosts(url)) {
            context.addresses().check(host); // the outbound address policy applies to databases too
        }
        int pool = config.config().get("maxPoolSize") instanceof Integer n ? n : 4;
        int timeout = config.config().get("queryTimeout") instanceof Integer n ? n : 30;
        return new DatabaseSession(
                dialect,
                new Pool(
                        Dialect.driverUrl(url),
                        (String) config.config().get("username"),
                        config.secrets().get("password"),
                        pool),
                timeout);
    }

    /**
     * The hosts of a network JDBC URL ({@code jdbc:postgresql://a:5432,b/db?...}, IPv6 in brackets);
     * none for SQLite, whose URL names a file.
     */
    static List<String> hosts(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return List.of();
        }
        String rest = url.substring(start + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', ';'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        authority = authority.substring(at + 1);
        List<String> hosts = new ArrayList<>();
        for (String part : authority.split(",")) {
            String h = part.strip();
            if (h.startsWith("[")) {
                int close = h.indexOf(']');
                h = close > 0 ? h.substring(1, close) : h.substring(1);
            } else if (h.indexOf(':') >= 0) {
                h = h.substring(0, h.indexOf(':'));
            }
            if (!h.isEmpty()) {
                hosts.add(h);
            }
        }
        return hosts.isEmpty() ? List.of("localhost") : hosts;
    }
}
