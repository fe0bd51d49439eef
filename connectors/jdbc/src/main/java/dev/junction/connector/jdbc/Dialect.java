package dev.junction.connector.jdbc;

import dev.junction.engine.connector.ConnectorException;
import java.util.List;
import java.util.regex.Pattern;

/** What differs between the supported databases: identifier quoting and the upsert statement. */
enum Dialect {
    POSTGRESQL,
    MARIADB,
    SQLITE;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    static Dialect of(String url) throws ConnectorException {
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        throw new ConnectorException(
                "CONFIG_INVALID",
                "config.url: a jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: or jdbc:sqlite: URL is needed",
                false);
    }

    /** The URL the driver accepts (MySQL URLs are served by the MariaDB driver). */
    static String driverUrl(String url) {
        return url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
    }

    /** {@code name} or {@code schema.name}, validated and quoted. */
    String quote(String name, String field) throws ConnectorException {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw invalid(field, name);
        }
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (!IDENTIFIER.matcher(part).matches()) {
                throw invalid(field, name);
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(this == MARIADB ? "`" + part + "`" : "\"" + part + "\"");
        }
        return out.toString();
    }

    String upsert(String table, List<String> columns, List<String> key) {
        String cols = String.join(", ", columns);
        String marks = String.join(", ", columns.stream().map(c -> "?").toList());
        List<String> rest = columns.stream().filter(c -> !key.contains(c)).toList();
        String insert = "INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")";
        if (this == MARIADB) {
            List<String> sets = (rest.isEmpty() ? key : rest)
                    .stream().map(c -> c + " = VALUES(" + c + ")").toList();
            return insert + " ON DUPLICATE KEY UPDATE " + String.join(", ", sets);
        }
        String conflict = " ON CONFLICT (" + String.join(", ", key) + ")";
        if (rest.isEmpty()) {
            return insert + conflict + " DO NOTHING";
        }
        return insert + conflict + " DO UPDATE SET "
                + String.join(
                        ", ", rest.stream().map(c -> c + " = excluded." + c).toList());
    }

    private static ConnectorException invalid(String field, String name) {
        return new ConnectorException(
                "INPUT_INVALID",
                "input.%s: '%s' is not a valid identifier (letters, digits, _; optionally schema.name)"
                        .formatted(field, name),
                false);
    }
}
