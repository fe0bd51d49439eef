package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connections API end to end with a test connector over real HTTP: validation, write-only
 * secrets, test-before-activate, call steps and http steps through a connection, circuit breaker.
 */
class ConnectionsApiTest {
    private static final String TOKEN = "bearer-Secret-Token-77";
    private static final String CONFIG_SECRET = "config-Secret-Value-88";
    private static TestServer server;
    private static LogCapture logs;
    private static HttpServer far;
    private static String farBase;
    private static final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private static final List<String> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        far = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        far.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            seen.add(path + " auth=" + ex.getRequestHeaders().getFirst("Authorization") + " config="
                    + ex.getRequestHeaders().getFirst("X-Config-Token"));
            int status = path.startsWith("/down") ? 503 : path.startsWith("/broken") ? 500 : 200;
            byte[] out = (status == 200 ? "{\"path\": \"" + path + "\"}" : "{\"error\": \"far side is down\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        far.start();
        farBase = "http://127.0.0.1:" + far.getAddress().getPort();
        server = new TestServer(Map.of());
        logs = LogCapture.begin();
    }

    @AfterAll
    static void stop() {
        server.close();
        logs.close();
        assertThat(logs.lines()).as("the capture works").anyMatch(l -> l.contains("log capture started"));
        for (String secret : List.of(TOKEN, CONFIG_SECRET)) {
            assertThat(logs.lines()).as("log lines").noneMatch(l -> l.contains(secret));
        }
        far.stop(0);
        assertThat(answers).noneMatch(a -> a.contains(TOKEN) || a.contains(CONFIG_SECRET));
    }

    private static HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpResponse<String> r = server.api(method, path, body == null ? null : "application/json", body);
        answers.add(r.headers().map() + r.body());
        return r;
    }

    private static String connection(String id, String base, boolean activate, String limits) {
        return Json.write(Map.of(
                "id",
                id,
                "name",
                "Far side " + id,
                "connector",
                "test-echo",
                "config",
                Map.of("baseUrl", base, "token", CONFIG_SECRET),
                "auth",
                Map.of("type", "bearer", "token", TOKEN),
                "limits",
                Json.read(limits),
                "activate",
                activate));
    }

    private static Map<String, Object> run(String flowId, String yaml) throws Exception {
        HttpResponse<String> created = server.api("POST", "/api/v1/flows", "application/yaml", yaml);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var started = TestServer.json(api("POST", "/api/v1/flows/" + flowId + "/runs", "{}"));
        Map<String, Object> run = server.awaitFinished(String.valueOf(started.get("runId")));
        answers.add(api("GET", "/api/v1/runs/" + started.get("runId"), null).body());
        return run;
    }

    @Test
    void theCatalogListsConnectorsWithTheirSchemas() throws Exception {
        var catalog = api("GET", "/api/v1/connectors", null);
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(catalog.body()).contains("\"id\":\"test-echo\"").contains("\"configSchema\"");
        assertThat(api("GET", "/api/v1/connectors/nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void badConnectionsAreRefusedNamingTheField() throws Exception {
        var unknown = api("POST", "/api/v1/connections", "{\"id\": \"x\", \"connector\": \"nope\"}");
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("CONNECTOR_NOT_FOUND").contains("\"field\":\"connector\"");
        var noBase =
                api("POST", "/api/v1/connections", "{\"id\": \"x\", \"connector\": \"test-echo\", \"config\": {}}");
        assertThat(noBase.statusCode()).isEqualTo(422);
        assertThat(noBase.body()).contains("CONFIG_INVALID").contains("baseUrl");
        var badAuth = api(
                "POST",
                "/api/v1/connections",
                "{\"id\": \"x\", \"connector\": \"test-echo\", \"config\": {\"baseUrl\": \"http://a.example\"},"
                        + " \"auth\": {\"type\": \"basic\", \"username\": \"u\"}}");
        assertThat(badAuth.statusCode()).isEqualTo(422);
        assertThat(badAuth.body()).contains("\"field\":\"auth.password\"");
        var badLimit = api(
                "POST",
                "/api/v1/connections",
                "{\"id\": \"x\", \"connector\": \"test-echo\", \"config\": {\"baseUrl\": \"http://a.example\"},"
                        + " \"limits\": {\"rateLimit\": {\"requests\": 0}}}");
        assertThat(badLimit.body()).contains("\"field\":\"limits.rateLimit.requests\"");
        assertThat(api("GET", "/api/v1/connections/x", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aFailedTestSavesNothingAndTheFarSidesErrorIsShownVerbatim() throws Exception {
        var failed = api("POST", "/api/v1/connections", connection("failing", farBase + "/broken/", true, "{}"));
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(failed.body()).contains("CONNECTION_TEST_FAILED").contains("far side is down");
        assertThat(api("GET", "/api/v1/connections/failing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void anActiveConnectionServesCallAndHttpStepsWithItsSecretsAndKeepsThemOutOfEverything() throws Exception {
        var created = api("POST", "/api/v1/connections", connection("crm", farBase + "/api/", true, "{}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body())
                .contains("\"status\":\"active\"")
                .contains("auth.token")
                .contains("config.token");

        Map<String, Object> callRun = run("crm-call", """
                id: crm-call
                trigger: { type: manual }
                steps:
                  - id: get
                    type: call
                    connection: crm
                    operation: get
                    input: { path: customers/7 }
                  - id: raw
                    type: http
                    connection: crm
                    url: orders/9
                """);
        assertThat(callRun.get("status")).as(String.valueOf(callRun)).isEqualTo("SUCCEEDED");
        assertThat(seen)
                .contains("/api/customers/7 auth=Bearer " + TOKEN + " config=" + CONFIG_SECRET)
                .anyMatch(s -> s.startsWith("/api/orders/9 auth=Bearer " + TOKEN));

        var disabled = api("POST", "/api/v1/connections/crm/disable", null);
        assertThat(disabled.body()).contains("\"status\":\"disabled\"");
        Map<String, Object> inactive = run("crm-call-2", """
                id: crm-call-2
                trigger: { type: manual }
                steps:
                  - id: get
                    type: call
                    connection: crm
                    operation: get
                    input: { path: customers/8 }
                """);
        assertThat(String.valueOf(inactive.get("error"))).contains("CONNECTION_INACTIVE");
        assertThat(api("DELETE", "/api/v1/connections/crm", null).statusCode()).isEqualTo(204);
        assertThat(api("GET", "/api/v1/connections/crm", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theBuiltInHttpConnectorWorksThroughTheApiWithApiKeyAuth() throws Exception {
        var created = api(
                "POST",
                "/api/v1/connections",
                Json.write(Map.of(
                        "id",
                        "shop",
                        "connector",
                        "http",
                        "config",
                        Map.of("baseUrl", farBase + "/shop/"),
                        "auth",
                        Map.of("type", "apiKey", "in", "header", "name", "Authorization", "value", TOKEN),
                        "activate",
                        true)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> run = run("shop-call", """
                id: shop-call
                trigger: { type: manual }
                steps:
                  - id: order
                    type: call
                    connection: shop
                    operation: request
                    input: { path: orders/5 }
                """);
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("SUCCEEDED");
        assertThat(String.valueOf(run.get("output"))).contains("/shop/orders/5");
        assertThat(seen).anyMatch(s -> s.startsWith("/shop/orders/5 auth=" + TOKEN));
    }

    @Test
    void theDatabaseConnectorQueriesTheRealPostgresqlWithAWriteOnlyPassword() throws Exception {
        var created = api(
                "POST",
                "/api/v1/connections",
                Json.write(Map.of(
                        "id",
                        "warehouse",
                        "connector",
                        "database",
                        "config",
                        Map.of(
                                "url", "jdbc:postgresql://127.0.0.1:5432/test",
                                "username", "postgres",
                                "password", CONFIG_SECRET),
                        "activate",
                        true)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("config.password");
        Map<String, Object> run = run("warehouse-query", """
                id: warehouse-query
                trigger: { type: manual }
                steps:
                  - id: stock
                    type: call
                    connection: warehouse
                    operation: query
                    input: { sql: "SELECT :sku AS sku, 42 AS qty", params: { sku: "B-1" } }
                """);
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("SUCCEEDED");
        assertThat(Json.write(run.get("output"))).contains("\"sku\":\"B-1\"").contains("\"qty\":42");
    }

    @Test
    void theCircuitBreakerOpensAfterRepeatedFailuresAndShowsInTheStatus() throws Exception {
        var created = api(
                "POST",
                "/api/v1/connections",
                connection(
                        "flaky",
                        farBase + "/",
                        true,
                        "{\"circuitBreaker\": {\"failureThreshold\": 2, \"openFor\": \"1h\"}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> run = run("flaky-call", """
                id: flaky-call
                trigger: { type: manual }
                steps:
                  - id: get
                    type: call
                    connection: flaky
                    operation: get
                    input: { path: down }
                    retry: { maxAttempts: 3, initialDelay: 1ms, maxDelay: 1ms }
                """);
        assertThat(run.get("status")).isEqualTo("FAILED");
        assertThat(String.valueOf(run.get("error"))).contains("CIRCUIT_OPEN");
        var status = api("GET", "/api/v1/connections/flaky", null);
        assertThat(status.body()).contains("\"circuit\":\"open\"");
    }
}
