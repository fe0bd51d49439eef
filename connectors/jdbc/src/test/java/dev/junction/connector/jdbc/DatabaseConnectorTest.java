package dev.junction.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database connector against the real PostgreSQL and MariaDB servers of the build machine and
 * SQLite in a temporary file: every operation, error codes, and the change feed under concurrent,
 * out-of-order commits.
 */
class DatabaseConnectorTest {
    private static final CallContext CALL = new CallContext("run", "step", "run:step", Duration.ofSeconds(30));

    /** One database under test: its URL and credentials, and DDL for the test table. */
    record Db(String name, String url, String user, String ddl, String touch) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Db> databases() throws Exception {
        String sqlite = "jdbc:sqlite:" + Files.createTempDirectory("jct-jdbc").resolve("t.db");
        return Stream.of(
                new Db(
                        "postgresql",
                        "jdbc:postgresql://127.0.0.1:5432/test",
                        "postgres",
                        "CREATE TABLE %s (id BIGSERIAL PRIMARY KEY, name VARCHAR(100), qty INTEGER,"
                                + " updated_at TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp())",
                        "clock_timestamp()"),
                new Db(
                        "mariadb",
                        "jdbc:mariadb://127.0.0.1:3306/test",
                        "root",
                        "CREATE TABLE %s (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), qty INT,"
                                + " updated_at DATETIME(6) NOT NULL DEFAULT NOW(6))",
                        "NOW(6)"),
                new Db(
                        "sqlite",
                        sqlite,
                        null,
                        "CREATE TABLE %s (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, qty INTEGER, updated_at TEXT)",
                        null));
    }

    private static ConnectorSession open(Db db, String user, String password) throws ConnectorException {
        Map<String, Object> config = new HashMap<>(Map.of("url", db.url(), "maxPoolSize", 3));
        if (user != null) {
            config.put("username", user);
        }
        Map<String, String> secrets = password == null ? Map.of() : Map.of("password", password);
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AddressPolicy addresses() {
                return AddressPolicy.allowingAll();
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        return new DatabaseConnector().open(new ConnectionConfig("default", "db", config, secrets), context);
    }

    private static String table(Db db, ConnectorSession s) throws ConnectorException {
        String t = "jct_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24, Integer.MAX_VALUE));
        s.invoke("execute", Map.of("sql", db.ddl().formatted(t)), CALL);
        return t;
    }

    private static void drop(ConnectorSession s, String t) throws ConnectorException {
        s.invoke("execute", Map.of("sql", "DROP TABLE " + t), CALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void everyOperationWorks(Db db) throws Exception {
        try (ConnectorSession s = open(db, db.user(), null)) {
            TestResult test = s.test();
            assertThat(test.ok()).as(test.message()).isTrue();
            String t = table(db, s);
            try {
                Map<?, ?> inserted = (Map<?, ?>) s.invoke(
                        "insert",
                        Map.of(
                                "table",
                                t,
                                "rows",
                                List.of(Map.of("name", "bolt", "qty", 5), Map.of("name", "nut", "qty", 7))),
                        CALL);
                assertThat(inserted.get("inserted")).isEqualTo(2);
                Map<?, ?> positional = (Map<?, ?>) s.invoke(
                        "query",
                        Map.of(
                                "sql",
                                "SELECT name, qty FROM " + t + " WHERE qty > ? ORDER BY id",
                                "params",
                                List.of(6)),
                        CALL);
                assertThat(positional.get("rows")).isEqualTo(List.of(Map.of("name", "nut", "qty", 7)));
                Map<?, ?> named = (Map<?, ?>) s.invoke(
                        "query",
                        Map.of(
                                "sql",
                                "SELECT id, name FROM " + t + " WHERE name = :name -- :ignored\n",
                                "params",
                                Map.of("name", "bolt")),
                        CALL);
                Object boltId = ((Map<?, ?>) ((List<?>) named.get("rows")).getFirst()).get("id");
                Map<?, ?> upserted = (Map<?, ?>) s.invoke(
                        "upsert",
                        Map.of(
                                "table", t,
                                "key", List.of("id"),
                                "rows",
                                        List.of(
                                                Map.of("id", boltId, "name", "bolt", "qty", 50),
                                                Map.of("id", 1000, "name", "washer", "qty", 1))),
                        CALL);
                assertThat(upserted.get("upserted")).isEqualTo(2);
                Map<?, ?> all = (Map<?, ?>)
                        s.invoke("query", Map.of("sql", "SELECT name, qty FROM " + t + " ORDER BY name"), CALL);
                assertThat(all.get("rows"))
                        .isEqualTo(List.of(
                                Map.of("name", "bolt", "qty", 50),
                                Map.of("name", "nut", "qty", 7),
                                Map.of("name", "washer", "qty", 1)));
                Map<?, ?> updated = (Map<?, ?>) s.invoke(
                        "execute",
                        Map.of("sql", "UPDATE " + t + " SET qty = qty + 1 WHERE name <> ?", "params", List.of("bolt")),
                        CALL);
                assertThat(updated.get("updated")).isEqualTo(2);
            } finally {
                drop(s, t);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void badInputAndDatabaseErrorsHaveStableCodes(Db db) throws Exception {
        try (ConnectorSession s = open(db, db.user(), null)) {
            assertThatThrownBy(() -> s.invoke("query", Map.of("sql", "SELEC nonsense"), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("SQL_ERROR");
                        assertThat(e.getMessage()).containsIgnoringCase("syntax");
                    });
            assertThatThrownBy(() -> s.invoke(
                            "insert", Map.of("table", "x; DROP TABLE y", "rows", List.of(Map.of("a", 1))), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo("INPUT_INVALID");
                        assertThat(e.getMessage()).contains("input.table");
                    });
            assertThatThrownBy(() -> s.invoke("query", Map.of("sql", "SELECT :a", "params", Map.of()), CALL))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                            .contains(":a"));
            assertThatThrownBy(() -> s.invoke("nope", Map.of(), CALL))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo("OPERATION_NOT_FOUND"));
        }
        if (db.user() != null) {
            String user = db.name().equals("postgresql") ? "nobody_" + System.nanoTime() : db.user();
            try (ConnectorSession wrong = open(db, user, "wrong-password-123")) {
                TestResult t = wrong.test();
                assertThat(t.ok()).isFalse();
                assertThat(t.code()).isEqualTo("AUTH_FAILED");
                assertThat(t.message()).doesNotContain("wrong-password-123");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theChangeFeedMissesAndRepeatsNothingUnderOutOfOrderCommits(Db db) throws Exception {
        try (ConnectorSession s = open(db, db.user(), null)) {
            String t = table(db, s);
            try {
                Set<Long> written = ConcurrentHashMap.newKeySet();
                int writers = 4;
                int perWriter = 40;
                List<Map<String, Object>> emitted = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int w = 0; w < writers; w++) {
                        done.add(pool.submit(() -> write(db, t, perWriter, written)));
                    }
                    Object cursor = null;
                    while (done.stream().anyMatch(f -> !f.isDone())) {
                        cursor = poll(s, t, "id", cursor, emitted);
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                    for (int i = 0; i < 3; i++) {
                        cursor = poll(s, t, "id", cursor, emitted);
                    }
                }
                List<Long> ids = emitted.stream()
                        .map(r -> ((Number) r.get("id")).longValue())
                        .toList();
                assertThat(new HashSet<>(ids)).isEqualTo(written);
                assertThat(ids).doesNotHaveDuplicates();
                assertThat(ids).hasSize(writers * perWriter);
            } finally {
                drop(s, t);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theChangeFeedByTimestampEmitsUpdatesAgainAndCanStartFromNow(Db db) throws Exception {
        if (db.touch() == null) {
            return; // SQLite has no timestamp type; its number cursor is covered above
        }
        try (ConnectorSession s = open(db, db.user(), null)) {
            String t = table(db, s);
            try {
                s.invoke("insert", Map.of("table", t, "rows", List.of(Map.of("name", "old", "qty", 1))), CALL);
                Map<?, ?> start = (Map<?, ?>) s.invoke(
                        "changes",
                        Map.of("table", t, "cursorColumn", "updated_at", "keyColumn", "id", "from", "now"),
                        CALL);
                assertThat((List<?>) start.get("items")).isEmpty();
                s.invoke("insert", Map.of("table", t, "rows", List.of(Map.of("name", "new", "qty", 2))), CALL);
                List<Map<String, Object>> emitted = new ArrayList<>();
                Object cursor = poll(s, t, "updated_at", start.get("cursor"), emitted);
                assertThat(emitted).extracting(r -> r.get("name")).containsExactly("new");
                s.invoke(
                        "execute",
                        Map.of(
                                "sql",
                                "UPDATE " + t + " SET qty = 3, updated_at = " + db.touch() + " WHERE name = 'new'"),
                        CALL);
                cursor = poll(s, t, "updated_at", cursor, emitted);
                poll(s, t, "updated_at", cursor, emitted);
                assertThat(emitted).extracting(r -> r.get("qty")).containsExactly(2, 3);
            } finally {
                drop(s, t);
            }
        }
    }

    private static Object poll(
            ConnectorSession s, String t, String column, Object cursor, List<Map<String, Object>> into)
            throws ConnectorException {
        Map<String, Object> in =
                new HashMap<>(Map.of("table", t, "cursorColumn", column, "keyColumn", "id", "limit", 7));
        if (cursor != null) {
            in.put("cursor", cursor);
        }
        Map<?, ?> out = (Map<?, ?>) s.invoke("changes", in, CALL);
        for (Object item : (List<?>) out.get("items")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) item;
            into.add(row);
        }
        return out.get("cursor");
    }

    /** Inserts rows one transaction each, holding some open a while so that commits land out of order. */
    private static Void write(Db db, String t, int rows, Set<Long> written) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), null)) {
            c.setAutoCommit(false);
            for (int i = 0; i < rows; i++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO " + t + " (name, qty) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, "w" + i);
                    ps.setInt(2, i);
                    ps.executeUpdate();
                    try (var keys = ps.getGeneratedKeys()) {
                        keys.next();
                        written.add(keys.getLong(1));
                    }
                }
                if (ThreadLocalRandom.current().nextInt(4) == 0) {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5, 25)); // a slow transaction commits late
                }
                c.commit();
            }
        }
        return null;
    }

    @Test
    void theOutboundAddressPolicyAppliesToDatabaseHosts() {
        assertThat(DatabaseConnector.hosts("jdbc:postgresql://db1.internal:5432,[::1]:5433/app?ssl=true"))
                .containsExactly("db1.internal", "::1");
        assertThat(DatabaseConnector.hosts("jdbc:mariadb://user@10.0.0.7/test")).containsExactly("10.0.0.7");
        assertThat(DatabaseConnector.hosts("jdbc:sqlite:/tmp/x.db")).isEmpty();
        ConnectorContext blocking = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AddressPolicy addresses() {
                return AddressPolicy.blockingInternal(List.of());
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        assertThatThrownBy(() -> new DatabaseConnector()
                        .open(
                                new ConnectionConfig(
                                        "default",
                                        "db",
                                        Map.of("url", "jdbc:postgresql://127.0.0.1:5432/test"),
                                        Map.of()),
                                blocking))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo("ADDRESS_BLOCKED"));
    }
}
