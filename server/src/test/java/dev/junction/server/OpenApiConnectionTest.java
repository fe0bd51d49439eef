package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI connector through the connections API: an uploaded document becomes the
 * connection's operations, a flow calls them against a real HTTP server, and a malformed document
 * is refused naming {@code config.document}.
 */
class OpenApiConnectionTest {
    private static final String TOKEN = "pets-Token-31";
    private static TestServer server;
    private static HttpServer far;
    private static String farBase;
    private static final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

    private static final String PETSTORE = """
            openapi: 3.0.3
            info: { title: Petstore, version: 1.0.0 }
            servers:
              - url: FAR/v1
            paths:
              /pets:
                post:
                  operationId: createPet
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema: { $ref: '#/components/schemas/NewPet' }
                  responses:
                    '201': { description: created }
              /pets/{petId}:
                get:
                  operationId: showPetById
                  parameters:
                    - { name: petId, in: path, required: true, schema: { type: string } }
                    - { name: fields, in: query, schema: { type: string } }
                  responses:
                    '200': { description: one pet }
            components:
              schemas:
                NewPet:
                  type: object
                  required: [name]
                  properties:
                    name: { type: string }
            """;

    @BeforeAll
    static void start() throws Exception {
        far = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        far.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = ex.getRequestURI().getRawQuery();
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query)
                    + " auth=" + ex.getRequestHeaders().getFirst("Authorization") + " key="
                    + ex.getRequestHeaders().getFirst("Idempotency-Key") + " body=" + body);
            boolean create = ex.getRequestMethod().equals("POST");
            byte[] out = (create ? "{\"id\": 41}" : "{\"id\": 41, \"name\": \"Rex\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(create ? 201 : 200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        far.start();
        farBase = "http://127.0.0.1:" + far.getAddress().getPort();
        server = new TestServer(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
        far.stop(0);
    }

    private static HttpResponse<String> create(String id, String document, boolean activate) throws Exception {
        return server.api(
                "POST",
                "/api/v1/connections",
                "application/json",
                Json.write(Map.of(
                        "id",
                        id,
                        "connector",
                        "openapi",
                        "config",
                        Map.of("document", document),
                        "auth",
                        Map.of("type", "bearer", "token", TOKEN),
                        "activate",
                        activate)));
    }

    private static Map<String, Object> run(String flowId, String yaml) throws Exception {
        HttpResponse<String> created = server.api("POST", "/api/v1/flows", "application/yaml", yaml);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var started =
                TestServer.json(server.api("POST", "/api/v1/flows/" + flowId + "/runs", "application/json", "{}"));
        return server.awaitFinished(String.valueOf(started.get("runId")));
    }

    @Test
    void anUploadedDocumentsOperationsAreListedAndCalledByAFlow() throws Exception {
        var created = create("petstore", PETSTORE.replace("FAR", farBase), true);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"status\":\"active\"");
        assertThat(seen)
                .as("the activation test reached the server")
                .contains("GET /v1/ auth=Bearer " + TOKEN + " key=null body=");

        var ops = server.api("GET", "/api/v1/connections/petstore/operations", null, null);
        assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> listed =
                (List<Map<String, Object>>) TestServer.json(ops).get("items");
        assertThat(listed).extracting(o -> o.get("name")).containsExactly("createPet", "showPetById");
        assertThat(Json.write(listed.get(1).get("inputSchema")))
                .contains("\"required\":[\"petId\"]")
                .contains("\"fields\"");

        Map<String, Object> run = run("pets-flow", """
                id: pets-flow
                trigger: { type: manual }
                steps:
                  - id: create
                    type: call
                    connection: petstore
                    operation: createPet
                    input: { body: { name: Rex } }
                  - id: show
                    type: call
                    connection: petstore
                    operation: showPetById
                    input:
                      petId: "{{ $string(steps.create.output.body.id) }}"
                      fields: "name,id"
                """);
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("SUCCEEDED");
        assertThat(Json.write(run.get("output"))).contains("\"name\":\"Rex\"");
        assertThat(seen)
                .anyMatch(s -> s.startsWith("POST /v1/pets auth=Bearer " + TOKEN + " key=")
                        && s.endsWith(":create body={\"name\":\"Rex\"}"))
                .contains("GET /v1/pets/41?fields=name%2Cid auth=Bearer " + TOKEN + " key=" + run.get("id")
                        + ":show body=");
    }

    @Test
    void invalidInputFailsTheStepBeforeAnyRequest() throws Exception {
        assertThat(create("petstore-2", PETSTORE.replace("FAR", farBase), true).statusCode())
                .isEqualTo(201);
        seen.clear();
        Map<String, Object> run = run("pets-bad-input", """
                id: pets-bad-input
                trigger: { type: manual }
                steps:
                  - id: create
                    type: call
                    connection: petstore-2
                    operation: createPet
                    input: { body: { nickname: Rex } }
                """);
        assertThat(run.get("status")).isEqualTo("FAILED");
        assertThat(String.valueOf(run.get("error"))).contains("INPUT_INVALID").contains("/body/name: required");
        assertThat(seen).isEmpty();
    }

    @Test
    void aMalformedDocumentIsRefusedNamingConfigDocument() throws Exception {
        for (boolean activate : List.of(false, true)) {
            var refused = create("broken", "openapi: 3.0.3\npaths:\n  /pets: [\n", activate);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
            Map<String, Object> problem = TestServer.json(refused);
            assertThat(problem.get("code")).isEqualTo("CONFIG_INVALID");
            assertThat(problem.get("field")).isEqualTo("config.document");
            assertThat(String.valueOf(problem.get("detail")))
                    .startsWith("config.document is not valid YAML")
                    .contains("(line 3, column 11)")
                    .doesNotContain("\n");
        }
        var swagger = create("broken", "swagger: '2.0'\npaths: {}\n", false);
        assertThat(swagger.statusCode()).isEqualTo(422);
        assertThat(swagger.body()).contains("Swagger / OpenAPI 2.0").contains("\"field\":\"config.document\"");
        assertThat(server.api("GET", "/api/v1/connections/broken", null, null).statusCode())
                .isEqualTo(404);
    }
}
