package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real server on a random port with SQLite in a temporary data directory, driven over HTTP,
 * calling a real downstream HTTP server.
 */
class EndToEndTest {
    private static TestServer server;
    private static HttpServer erp;

    @BeforeAll
    static void start() throws IOException {
        erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        erp.createContext("/orders", ex -> {
            Map<?, ?> order =
                    (Map<?, ?>) Json.read(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] out = Json.write(Map.of(
                            "id",
                            "ERP-" + order.get("externalId"),
                            "key",
                            ex.getRequestHeaders().getFirst("Idempotency-Key")))
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(201, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        erp.start();
        System.setProperty(
                "junction.test.erp", "http://127.0.0.1:" + erp.getAddress().getPort());
        server = new TestServer(Map.of("JUNCTION_MAX_BODY_BYTES", "20000"));
    }

    @AfterAll
    static void stop() {
        server.close();
        erp.stop(0);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = EndToEndTest.class.getResourceAsStream("/flows/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{ env.ERP_URL }}", System.getProperty("junction.test.erp"));
        }
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body, boolean auth)
            throws Exception {
        return server.send(method, path, contentType, body, auth);
    }

    private static HttpResponse<String> api(String method, String path, String contentType, String body)
            throws Exception {
        return server.api(method, path, contentType, body);
    }

    private static Map<String, Object> json(HttpResponse<String> r) {
        return TestServer.json(r);
    }

    private static Map<String, Object> awaitFinished(String runId) {
        return server.awaitFinished(runId);
    }

    @Test
    void webhookMapHttpRespondAnswersSynchronouslyAndTheRunIsVisible() throws Exception {
        HttpResponse<String> created = api("POST", "/api/v1/flows", "application/yaml", fixture("enrich.yaml"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created)).containsEntry("id", "enrich").containsEntry("version", 1);

        String order = """
                {"orderId": "A-1", "country": "de", "lines": [{"sku": "x", "qty": 2, "price": 10}, {"sku": "y", "qty": 1, "price": 5}]}
                """;
        HttpResponse<String> answer = send("POST", "/hooks/default/orders", "application/json", order, false);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer)).isEqualTo(Map.of("ok", true, "erpId", "ERP-A-1", "total", 25, "country", "DE"));
        String runId = answer.headers().firstValue("Junction-Run-Id").orElseThrow();

        Map<String, Object> run = awaitFinished(runId);
        assertThat(run).containsEntry("status", "SUCCEEDED").containsEntry("flowVersion", 1);
        List<Map<String, Object>> steps = (List<Map<String, Object>>) run.get("steps");
        assertThat(steps).extracting(s -> s.get("stepId")).containsExactly("order", "push", "reply");
        Map<String, Object> push = steps.get(1);
        assertThat((Map<String, Object>) push.get("input")).containsEntry("method", "POST");
        assertThat((Map<String, Object>) ((Map<String, Object>) push.get("output")).get("body"))
                .containsEntry("key", runId + ":push");

        HttpResponse<String> again = send("POST", "/hooks/default/orders", "application/json", order, false);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again)).containsEntry("runId", runId).containsEntry("duplicate", true);

        Map<String, Object> list = json(api("GET", "/api/v1/runs?flow=enrich&status=succeeded&limit=1", null, null));
        assertThat((List<?>) list.get("items")).hasSize(1);
    }

    @Test
    void theQueryIsReadFromTheQueryStringOnlyWithRepeatedNamesAsLists() throws Exception {
        api("POST", "/api/v1/flows", "application/yaml", """
                id: echo-query
                trigger: { type: webhook, path: echo-query }
                steps:
                  - { id: reply, type: respond, status: 200, body: "{{ trigger }}" }
                """);
        HttpResponse<String> r = send(
                "POST",
                "/hooks/default/echo-query?tag=a&tag=b&name=J%C3%BCrg+M&secretive=1&flag",
                "application/x-www-form-urlencoded",
                "secret=s3&name=body",
                false);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> trigger = json(r);
        assertThat(trigger.get("query"))
                .as("the body's fields stay in the body, even when their name is part of the query string")
                .isEqualTo(Map.of("tag", List.of("a", "b"), "name", "Jürg M", "secretive", "1", "flag", ""));
        assertThat(trigger.get("body")).isEqualTo(Map.of("secret", "s3", "name", "body"));

        // a malformed %-escape (java.net.URI refuses to send one, so over a plain socket)
        URI base = URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream()
                    .write(
                            "POST /hooks/default/echo-query?x=%zz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
            String bad = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bad).startsWith("HTTP/1.1 400").contains("QUERY_INVALID").contains("x=%zz");
            assertThat(bad).doesNotContain("Exception");
        }
    }

    @Test
    void webhookAnswersKeepTheFlowsContentTypeAndLengthOutsideTheDispatcher() throws Exception {
        api("POST", "/api/v1/flows", "application/yaml", """
                id: plain-text
                trigger: { type: webhook, path: plain }
                steps:
                  - { id: reply, type: respond, status: 201, headers: { Content-Type: text/csv, X-Kind: csv }, body: "a;b,ä;1" }
                  - { id: later, type: map, expression: "'done'" }
                """);
        HttpResponse<String> r = send("POST", "/hooks/default/plain", "application/json", "{}", false);
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/csv");
        assertThat(r.headers().firstValue("X-Kind")).hasValue("csv");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(8);
        assertThat(r.headers().firstValue("Junction-Run-Id")).isPresent();
        assertThat(r.body()).isEqualTo("a;b,ä;1");

        HttpResponse<String> bare = send("POST", "/hooks/default", "application/json", "{}", false);
        assertThat(bare.statusCode()).isEqualTo(404);
        assertThat(json(bare)).containsEntry("code", "NOT_FOUND");
        HttpResponse<String> none = send("POST", "/hooks/default/none", "application/json", "{}", false);
        assertThat(json(none))
                .containsEntry("code", "WEBHOOK_NOT_FOUND")
                .containsEntry("instance", "/hooks/default/none")
                .containsEntry("status", 404);
    }

    @Test
    void aFlowWithoutRespondAnswers202WithTheRunIdAndVersionsArePinned() throws Exception {
        String v1 = """
                id: async
                trigger: { type: webhook, path: async }
                steps: [ { id: a, type: map, expression: "'v1'" } ]
                """;
        api("POST", "/api/v1/flows", "application/yaml", v1);
        HttpResponse<String> put = api("PUT", "/api/v1/flows/async", "application/yaml", v1.replace("'v1'", "'v2'"));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(put)).containsEntry("version", 2);
        HttpResponse<String> r = send("POST", "/hooks/default/async", "text/plain", "hello", false);
        assertThat(r.statusCode()).isEqualTo(202);
        Map<String, Object> run = awaitFinished((String) json(r).get("runId"));
        assertThat(run).containsEntry("flowVersion", 2).containsEntry("output", "v2");
        assertThat((List<?>) json(api("GET", "/api/v1/flows/async/versions", null, null))
                        .get("items"))
                .hasSize(2);
    }

    @Test
    void manualRunsAreCheckedAgainstTheInputSchema() throws Exception {
        api("POST", "/api/v1/flows", "application/json", """
                {"id": "manual", "trigger": {"type": "manual", "inputSchema": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}},
                 "steps": [{"id": "double", "type": "map", "expression": "trigger.body.n * 2"}]}
                """);
        HttpResponse<String> bad = api("POST", "/api/v1/flows/manual/runs", "application/json", "{\"n\": \"x\"}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(json(bad)).containsEntry("code", "INPUT_INVALID");
        HttpResponse<String> ok = api("POST", "/api/v1/flows/manual/runs", "application/json", "{\"n\": 21}");
        assertThat(ok.statusCode()).isEqualTo(202);
        assertThat(awaitFinished((String) json(ok).get("runId"))).containsEntry("output", 42);
    }

    @Test
    void badInputGetsPreciseProblemDetailsAndStoresNothing() throws Exception {
        HttpResponse<String> invalid = api(
                "POST",
                "/api/v1/flows",
                "application/yaml",
                "id: broken\ntrigger: { type: manual }\nsteps:\n  - id: a\n    type: nope\n");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(json(invalid))
                .containsEntry("code", "FLOW_INVALID")
                .containsEntry("line", 5)
                .containsEntry("field", "steps[0].type");
        assertThat(api("GET", "/api/v1/flows/broken", null, null).statusCode()).isEqualTo(404);

        assertThat(json(api("POST", "/api/v1/flows", "text/csv", "a,b")).get("code"))
                .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(send("GET", "/api/v1/flows", null, null, false).statusCode()).isEqualTo(401);
        HttpResponse<String> unknownHook = send("POST", "/hooks/default/nowhere", "application/json", "{}", false);
        assertThat(unknownHook.statusCode()).isEqualTo(404);
        assertThat(json(unknownHook)).containsEntry("code", "WEBHOOK_NOT_FOUND");
        HttpResponse<String> large = api("POST", "/api/v1/flows", "application/yaml", "x".repeat(30_000));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(json(large)).containsEntry("code", "PAYLOAD_TOO_LARGE");
        HttpResponse<String> badRuns = api("GET", "/api/v1/runs?status=sleeping", null, null);
        assertThat(badRuns.statusCode()).isEqualTo(400);
        assertThat(api("GET", "/api/v1/runs/does-not-exist", null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void malformedJsonToAWebhookIsA400AndStartsNoRun() throws Exception {
        api(
                "POST",
                "/api/v1/flows",
                "application/yaml",
                "id: strict\ntrigger: { type: webhook, path: strict }\nsteps: [ { id: a, type: map, expression: \"1\" } ]\n");
        HttpResponse<String> r = send("POST", "/hooks/default/strict", "application/json", "{\"broken\": ", false);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r)).containsEntry("code", "BODY_INVALID");
        assertThat((List<?>)
                        json(api("GET", "/api/v1/runs?flow=strict", null, null)).get("items"))
                .isEmpty();
    }

    @Test
    void readinessAnswersWithoutAKey() throws Exception {
        assertThat(send("GET", "/actuator/health/readiness", null, null, false).statusCode())
                .isEqualTo(200);
    }
}
