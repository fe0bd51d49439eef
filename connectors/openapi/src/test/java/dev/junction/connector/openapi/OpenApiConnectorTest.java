package dev.junction.connector.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.json.Json;
import dev.junction.engine.json.JsonSchemas;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAPI connector against a real HTTP server on loopback, through the platform's client. */
class OpenApiConnectorTest {
    private static final CallContext CALL = new CallContext("run-1", "step", "run-1:step", Duration.ofSeconds(5));
    private static final String PETSTORE = FarSide.resource("petstore.yaml");
    private static FarSide far;

    @BeforeAll
    static void start() throws Exception {
        far = new FarSide();
        far.documents.put("petstore.yaml", PETSTORE);
        far.documents.put("broken.yaml", "openapi: 3.0.3\npaths:\n  /pets: [\n");
    }

    @AfterAll
    static void stop() {
        far.close();
    }

    @BeforeEach
    void forget() {
        far.received.clear();
    }

    private static ConnectorSession session(Map<String, Object> config) throws ConnectorException {
        Object baseUrl = config.get("baseUrl");
        return new OpenApiConnector()
                .open(
                        new ConnectionConfig("default", "pets", config, Map.of()),
                        far.context(baseUrl == null ? null : String.valueOf(baseUrl)));
    }

    /** The petstore inline, its relative server URL replaced by the far side's. */
    private static ConnectorSession petstore() throws ConnectorException {
        return session(Map.of("document", PETSTORE.replace("url: /v1", "url: " + far.base + "/v1")));
    }

    private static Map<String, ConnectorDescriptor.Operation> byName(ConnectorSession s) {
        Map<String, ConnectorDescriptor.Operation> out = new HashMap<>();
        s.operations().forEach(o -> out.put(o.name(), o));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static ConnectorException failure(ConnectorSession s, String operation, Object input) {
        try {
            s.invoke(operation, input, CALL);
        } catch (ConnectorException e) {
            return e;
        }
        throw new AssertionError("expected a ConnectorException for " + operation + " " + input);
    }

    @Test
    void isFoundByServiceLoaderWithDynamicOperationsAndHttpAuth() {
        ConnectorDescriptor d = ServiceLoader.load(Connector.class).stream()
                .map(p -> p.get().describe())
                .filter(x -> x.id().equals("openapi"))
                .findFirst()
                .orElseThrow();
        assertThat(d.dynamicOperations()).isTrue();
        assertThat(d.operations()).isEmpty();
        assertThat(d.authTypes()).isEqualTo(ConnectorDescriptor.HTTP_AUTH_TYPES);
        assertThat(JsonSchemas.check(d.configSchema())).isNull();
        assertThat(JsonSchemas.validate(d.configSchema(), Map.of("baseUrl", "https://x.example")))
                .as("document or documentUrl is required")
                .isNotEmpty();
        assertThat(JsonSchemas.validate(d.configSchema(), Map.of("document", "openapi: 3.1.0")))
                .isEmpty();
    }

    @Test
    void listsEveryOperationWithItsParametersAndBodyAsInputSchema() throws Exception {
        Map<String, ConnectorDescriptor.Operation> ops = byName(petstore());
        assertThat(ops)
                .containsOnlyKeys(
                        "listPets", "createPet", "showPetById", "delete_/pets/{petId}", "addPhoto", "plantTree");

        Map<String, Object> show = ops.get("showPetById").inputSchema();
        assertThat(show.get("required")).isEqualTo(List.of("petId"));
        assertThat(map(map(show.get("properties")).get("petId")))
                .containsEntry("type", "string")
                .containsEntry("description", "The pet's id");
        assertThat(show.get("additionalProperties")).isEqualTo(false);

        Map<String, Object> list = map(ops.get("listPets").inputSchema().get("properties"));
        assertThat(list).containsOnlyKeys("limit", "tags");
        assertThat(map(list.get("limit"))).containsEntry("minimum", 1).containsEntry("maximum", 100);
        assertThat(ops.get("listPets").inputSchema()).doesNotContainKey("required");

        Map<String, Object> create = ops.get("createPet").inputSchema();
        assertThat(create.get("required")).isEqualTo(List.of("body"));
        assertThat(map(map(create.get("properties")).get("body"))).containsEntry("$ref", "#/$defs/NewPet");
        Map<String, Object> newPet = map(map(create.get("$defs")).get("NewPet"));
        assertThat(newPet.get("required")).isEqualTo(List.of("name"));
        assertThat(map(map(newPet.get("properties")).get("tag")))
                .as("3.0 nullable becomes a null type")
                .containsEntry("type", List.of("string", "null"));
        assertThat(map(map(newPet.get("properties")).get("name"))).doesNotContainKey("example");
        assertThat(map(create.get("properties"))).containsKey("X-Request-Id");

        Map<String, Object> output = ops.get("showPetById").outputSchema();
        assertThat(map(output.get("properties"))).containsKeys("status", "headers", "body");
        assertThat(map(output.get("$defs"))).containsKeys("Pet", "NewPet");
        for (ConnectorDescriptor.Operation op : ops.values()) {
            assertThat(JsonSchemas.check(op.inputSchema())).as(op.name()).isNull();
            assertThat(JsonSchemas.check(op.outputSchema())).as(op.name()).isNull();
        }
    }

    @Test
    void aCallFillsThePathQueryHeadersAndJsonBody() throws Exception {
        ConnectorSession s = petstore();
        Map<String, Object> shown = map(s.invoke("showPetById", Map.of("petId", "a b/c?"), CALL));
        assertThat(shown.get("status")).isEqualTo(200);
        assertThat(far.calls().getLast().rawPath()).isEqualTo("/v1/pets/a%20b%2Fc%3F");

        s.invoke("listPets", Map.of("limit", 5, "tags", List.of("x y", "z")), CALL);
        FarSide.Received list = far.calls().getLast();
        assertThat(list.rawPath()).isEqualTo("/v1/pets");
        assertThat(list.rawQuery()).isEqualTo("limit=5&tags=x+y&tags=z");
        assertThat(list.header("Authorization")).as("the connection's auth").isEqualTo("Bearer t-1");

        Map<String, Object> created = map(s.invoke(
                "createPet", Map.of("body", Map.of("name", "Rex", "tag", "dog"), "X-Request-Id", "r-1"), CALL));
        FarSide.Received post = far.calls().getLast();
        assertThat(post.method()).isEqualTo("POST");
        assertThat(Json.read(post.body())).isEqualTo(Map.of("name", "Rex", "tag", "dog"));
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.header("X-Request-Id")).isEqualTo("r-1");
        assertThat(post.header("Idempotency-Key")).isEqualTo("run-1:step");
        assertThat(created.get("status")).isEqualTo(201);
        assertThat(map(created.get("body"))).containsEntry("id", 7);

        Map<String, Object> noLimit = new HashMap<>(Map.of("tags", List.of()));
        noLimit.put("limit", null);
        s.invoke("listPets", noLimit, CALL);
        assertThat(far.calls().getLast().rawQuery())
                .as("null is a parameter not given")
                .isNull();

        Map<String, Object> deleted = map(s.invoke("delete_/pets/{petId}", Map.of("petId", "9"), CALL));
        assertThat(deleted.get("status")).isEqualTo(204);
        assertThat(far.calls().getLast().method()).isEqualTo("DELETE");
        assertThat(far.calls()).hasSize(5);
    }

    @Test
    void parametersWhoseNamesClashAreKeyedByTheirLocation() throws Exception {
        String doc = """
                openapi: 3.1.0
                servers: [{ url: BASE }]
                paths:
                  /items/{id}:
                    put:
                      operationId: putItem
                      parameters:
                        - { name: id, in: path, required: true, schema: { type: string } }
                        - { name: id, in: header, required: true, schema: { type: string } }
                        - { name: body, in: query, schema: { type: string } }
                        - { name: session, in: cookie, schema: { type: string } }
                      requestBody:
                        content: { application/json: { schema: { type: object } } }
                      responses: { '200': { description: ok } }
                """.replace("BASE", far.base);
        ConnectorSession s = session(Map.of("document", doc));
        assertThat(map(byName(s).get("putItem").inputSchema().get("properties")))
                .containsOnlyKeys("id", "header.id", "query.body", "session", "body");
        assertThat(failure(s, "putItem", Map.of("id", "1"))).hasMessageContaining("/header.id: required");
        s.invoke(
                "putItem",
                Map.of("id", "i-1", "header.id", "h-1", "query.body", "q", "session", "s-1", "body", Map.of("a", 1)),
                CALL);
        FarSide.Received r = far.calls().getLast();
        assertThat(r.rawPath()).isEqualTo("/items/i-1");
        assertThat(r.header("id")).isEqualTo("h-1");
        assertThat(r.rawQuery()).isEqualTo("body=q");
        assertThat(r.header("Cookie")).isEqualTo("session=s-1");
        assertThat(r.body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void anOperationThatOnlyTakesAFormSendsAFormBody() throws Exception {
        petstore().invoke("addPhoto", Map.of("petId", 3, "body", Map.of("caption", "on the sofa", "width", 2)), CALL);
        FarSide.Received r = far.calls().getLast();
        assertThat(r.rawPath()).isEqualTo("/v1/pets/3/photos");
        assertThat(r.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(r.body().split("&")).containsExactlyInAnyOrder("caption=on+the+sofa", "width=2");
    }

    @Test
    void invalidInputIsRefusedNamingTheFieldBeforeAnyRequestIsSent() throws Exception {
        ConnectorSession s = petstore();
        assertThat(failure(s, "listPets", Map.of("limit", "five")))
                .satisfies(e -> assertThat(e.code()).isEqualTo("INPUT_INVALID"))
                .hasMessageContaining("input of operation 'listPets'")
                .hasMessageContaining("/limit");
        assertThat(failure(s, "listPets", Map.of("limit", 0))).hasMessageContaining("/limit");
        assertThat(failure(s, "showPetById", Map.of())).hasMessageContaining("/petId: required");
        assertThat(failure(s, "createPet", Map.of())).hasMessageContaining("/body: required");
        assertThat(failure(s, "createPet", Map.of("body", Map.of("tag", "dog"))))
                .hasMessageContaining("/body/name: required");
        assertThat(failure(s, "showPetById", Map.of("petId", "1", "colour", "red")))
                .hasMessageContaining("/colour: not a field of this input");
        assertThat(failure(s, "addPhoto", Map.of("petId", 3, "body", Map.of("caption", "c", "width", 1))))
                .as("3.0 exclusiveMinimum: true with minimum: 1")
                .hasMessageContaining("/body/width");
        assertThat(failure(s, "showPetById", List.of(1)).getMessage()).contains("must be an object of its parameters");
        assertThat(far.received).as("no request reached the server").isEmpty();
    }

    @Test
    void recursiveSchemasAreResolvedAndCheckedAtEveryDepth() throws Exception {
        ConnectorSession s = petstore();
        ConnectorDescriptor.Operation plant = byName(s).get("plantTree");
        Map<String, Object> tree = map(map(plant.inputSchema().get("$defs")).get("Tree"));
        assertThat(Json.write(tree)).contains("\"items\":{\"$ref\":\"#/$defs/Tree\"}");

        Map<String, Object> leafless = Map.of("name", "oak", "children", List.of(Map.of("children", List.of())));
        assertThat(failure(s, "plantTree", Map.of("body", leafless)))
                .hasMessageContaining("/body/children/0/name: required");
        assertThat(far.received).isEmpty();
        Map<String, Object> fine = Map.of(
                "name", "oak", "children", List.of(Map.of("name", "acorn", "children", List.of(Map.of("name", "x")))));
        assertThat(map(s.invoke("plantTree", Map.of("body", fine), CALL)).get("status"))
                .isEqualTo(200);
    }

    @Test
    void answersOutsideTwoHundredAreStepErrorsWithStableCodes() throws Exception {
        ConnectorSession s = petstore();
        ConnectorException missing = failure(s, "showPetById", Map.of("petId", "missing"));
        assertThat(missing.code()).isEqualTo("HTTP_4XX");
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.getMessage())
                .contains("GET")
                .contains("/v1/pets/missing answered 404")
                .contains("no pet");
        assertThat(map(missing.output()).get("status")).isEqualTo(404);
        ConnectorException down = failure(s, "showPetById", Map.of("petId", "down"));
        assertThat(down.code()).isEqualTo("HTTP_5XX");
        assertThat(down.retryable()).isTrue();
    }

    @Test
    void anUnknownOperationIsRefusedListingSomeKnownOnes() throws Exception {
        ConnectorException e = failure(petstore(), "getPet", Map.of());
        assertThat(e.code()).isEqualTo("OPERATION_NOT_FOUND");
        assertThat(e.getMessage())
                .contains("no operation 'getPet'")
                .contains("listPets, createPet, showPetById")
                .contains("and 1 more");
    }

    @Test
    void aDocumentUrlIsFetchedOnceAndItsRelativeServerResolvedAgainstIt() throws Exception {
        ConnectorSession s = session(Map.of("documentUrl", far.base + "/docs/petstore.yaml"));
        assertThat(far.received).as("nothing fetched on open").isEmpty();
        assertThat(byName(s)).containsKey("showPetById");
        s.invoke("showPetById", Map.of("petId", "1"), CALL);
        s.invoke("listPets", Map.of(), CALL);
        assertThat(far.received.stream().map(FarSide.Received::rawPath))
                .containsExactly("/docs/petstore.yaml", "/v1/pets/1", "/v1/pets");
        assertThat(far.received.peek().header("Authorization"))
                .as("fetched with the connection's auth")
                .isEqualTo("Bearer t-1");
    }

    @Test
    void aRelativeDocumentUrlAndTheOperationsResolveBelowTheConfiguredBaseUrl() throws Exception {
        ConnectorSession s = session(Map.of("documentUrl", "docs/petstore.yaml", "baseUrl", far.base + "/"));
        s.invoke("showPetById", Map.of("petId", "1"), CALL);
        assertThat(far.received.stream().map(FarSide.Received::rawPath))
                .as("baseUrl overrides servers[0].url")
                .containsExactly("/docs/petstore.yaml", "/pets/1");
        assertThatThrownBy(() -> session(Map.of("documentUrl", "docs/petstore.yaml")))
                .hasMessageContaining("config.documentUrl 'docs/petstore.yaml' is relative");
    }

    @Test
    void serverVariablesTakeTheirDefaultsInAnOpenApi31JsonDocument() throws Exception {
        String doc = FarSide.resource("orders.json").replace("http://PLACEHOLDER", far.base);
        ConnectorSession s = session(Map.of("document", Json.read(doc)));
        ConnectorDescriptor.Operation op = byName(s).get("get_/orders/{orderId}");
        assertThat(op).as("named from method and path without an operationId").isNotNull();
        s.invoke("get_/orders/{orderId}", Map.of("orderId", 12, "expand", List.of("lines", "customer")), CALL);
        FarSide.Received r = far.calls().getLast();
        assertThat(r.rawPath()).isEqualTo("/shop/v2/orders/12");
        assertThat(r.rawQuery()).isEqualTo("expand=lines%2Ccustomer");
        assertThat(failure(s, "get_/orders/{orderId}", Map.of("orderId", 12, "expand", List.of("price"))))
                .hasMessageContaining("/expand/0");
        s.invoke("get_/orders/{orderId}", new HashMap<>(Map.of("orderId", 1)), CALL);
        assertThat(far.calls()).hasSize(2);
    }

    @Test
    void testConnectionReadsTheDocumentAndReachesTheServer() throws Exception {
        TestResult ok =
                session(Map.of("documentUrl", far.base + "/docs/petstore.yaml")).test();
        assertThat(ok.ok()).as(String.valueOf(ok)).isTrue();
        assertThat(far.received.stream().map(FarSide.Received::rawPath)).containsExactly("/docs/petstore.yaml", "/v1/");

        TestResult broken =
                session(Map.of("documentUrl", far.base + "/docs/broken.yaml")).test();
        assertThat(broken.ok()).isFalse();
        assertThat(broken.code()).isEqualTo("CONFIG_INVALID");
        assertThat(broken.message())
                .contains("the document at config.documentUrl " + far.base + "/docs/broken.yaml")
                .contains("not valid YAML")
                .contains("line");

        TestResult absent =
                session(Map.of("documentUrl", far.base + "/docs/absent.yaml")).test();
        assertThat(absent.code()).isEqualTo("HTTP_4XX");
        assertThat(absent.message()).contains("fetching the OpenAPI document (config.documentUrl) failed");
    }

    @Test
    void aFailedFetchIsTriedAgainOnTheNextUse() throws Exception {
        ConnectorSession s = session(Map.of("documentUrl", far.base + "/docs/later.yaml"));
        assertThat(failure(s, "listPets", Map.of()).code()).isEqualTo("HTTP_4XX");
        far.documents.put("later.yaml", PETSTORE);
        try {
            s.invoke("listPets", Map.of(), CALL);
        } finally {
            far.documents.remove("later.yaml");
        }
        assertThat(far.calls()).extracting(FarSide.Received::rawPath).containsExactly("/v1/pets");
    }

    @Test
    void aMalformedInlineDocumentIsRefusedWhenTheSessionOpens() {
        assertThatThrownBy(() -> session(Map.of("document", "openapi: 3.0.3\npaths: {\n")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo("CONFIG_INVALID");
                    assertThat(e.getMessage()).startsWith("config.document is not valid YAML");
                });
        assertThatThrownBy(() -> session(Map.of("document", "x", "documentUrl", "http://a.example/x")))
                .hasMessageContaining("both set");
    }
}
