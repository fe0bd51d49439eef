package dev.junction.server.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh database on the build machine's PostgreSQL (127.0.0.1:5432, trust auth; override the
 * server with {@code JUNCTION_TEST_PG_URL}), dropped again on close.
 */
final class ScratchPostgres implements AutoCloseable {
    static final String SERVER = System.getenv()
            .getOrDefault("JUNCTION_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test")
            .replaceAll("/[^/]*$", "");
    static final String USER = System.getenv().getOrDefault("JUNCTION_TEST_PG_USER", "postgres");

    final String name;

    ScratchPostgres(String purpose) throws SQLException {
        name = "junction_" + purpose + "_" + ProcessHandle.current().pid();
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name);
    }

    String url() {
        return SERVER + "/" + name;
    }

    /** The JDBC URL through another host and port (a proxy in front of the server). */
    String urlVia(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, null);
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "/postgres", USER, null);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
