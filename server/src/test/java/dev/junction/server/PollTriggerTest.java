package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.junction.engine.json.Json;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A poll trigger on the database connector's change feed against the machine's real PostgreSQL:
 * rows inserted by concurrent writers (committing out of order) while Junction polls each start
 * exactly one run; a failing poll shows in the flow's poll status.
 */
class PollTriggerTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String TABLE =
            "poll_orders_" + UUID.randomUUID().toString().substring(0, 8);
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id BIGSERIAL PRIMARY KEY, sku TEXT NOT NULL, writer INT NOT NULL)");
        }
        server = new TestServer(Map.of());
        var created = server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        "orders-db",
                        "connector",
                        "database",
                        "config",
                        Map.of("url", URL, "username", "postgres"),
                        "activate",
                        true)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private static List<Map<String, Object>> runs(String flow) throws Exception {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> r = server.api(
                    "GET",
                    "/api/v1/runs?flow=" + flow + "&limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                    null,
                    null);
            Map<String, Object> page = TestServer.json(r);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            all.addAll(items);
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return all;
    }

    @Test
    void everyRowWrittenConcurrentlyStartsExactlyOneRun() throws Exception {
        var flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: new-orders
                trigger:
                  type: poll
                  connection: orders-db
                  operation: changes
                  input: { table: %s, cursorColumn: id, keyColumn: id, limit: 50 }
                  every: 1s
                steps:
                  - id: sku
                    type: map
                    expression: trigger.body.sku
                """.formatted(TABLE));
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        int writers = 4;
        int perWriter = 75;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < perWriter; i++) {
                        try (PreparedStatement ps =
                                c.prepareStatement("INSERT INTO " + TABLE + " (sku, writer) VALUES (?, ?)")) {
                            ps.setString(1, "W" + writer + "-" + i);
                            ps.setInt(2, writer);
                            ps.executeUpdate();
                        }
                        if (i % 5 == 4) {
                            c.commit(); // small transactions from four writers commit out of id order
                        }
                    }
                    c.commit();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        int total = writers * perWriter;
        await().atMost(Duration.ofSeconds(60)).until(() -> runs("new-orders").size() >= total);
        List<Map<String, Object>> runs = runs("new-orders");
        Set<Object> skus = new HashSet<>();
        for (Map<String, Object> run : runs) {
            Map<String, Object> detail =
                    TestServer.json(server.api("GET", "/api/v1/runs/" + run.get("id"), null, null));
            skus.add(((Map<?, ?>) ((Map<?, ?>) detail.get("trigger")).get("body")).get("sku"));
        }
        assertThat(runs).as("one run per row, none twice").hasSize(total);
        assertThat(skus).hasSize(total);
        Map<String, Object> view = TestServer.json(server.api("GET", "/api/v1/flows/new-orders", null, null));
        assertThat((Map<String, Object>) view.get("poll"))
                .containsEntry("status", "ok")
                .containsEntry("items", total);
    }

    @Test
    void aFailingPollIsShownWithTheFlowAndStartsNothing() throws Exception {
        var flow = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: broken-poll
                trigger:
                  type: poll
                  connection: orders-db
                  operation: changes
                  input: { table: no_such_table_here, cursorColumn: id, keyColumn: id }
                  every: 1s
                steps: [ { id: a, type: map, expression: "1" } ]
                """);
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> view = TestServer.json(server.api("GET", "/api/v1/flows/broken-poll", null, null));
            return "failing".equals(((Map<?, ?>) view.get("poll")).get("status"));
        });
        Map<String, Object> view = TestServer.json(server.api("GET", "/api/v1/flows/broken-poll", null, null));
        assertThat(String.valueOf(((Map<?, ?>) view.get("poll")).get("lastError")))
                .contains("no_such_table_here");
        assertThat(runs("broken-poll")).isEmpty();
    }
}
