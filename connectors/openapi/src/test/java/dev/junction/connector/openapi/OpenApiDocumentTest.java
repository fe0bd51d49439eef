package dev.junction.connector.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Malformed and unsupported documents: refused with CONFIG_INVALID, saying what and where. */
class OpenApiDocumentTest {
    private static final String PETSTORE = FarSide.resource("petstore.yaml");

    private static ApiDocument read(String text) throws ConnectorException {
        return ApiDocument.read(DocumentReader.read(text, "config.document"), "config.document");
    }

    private static String refusal(String text) {
        try {
            read(text);
        } catch (ConnectorException e) {
            assertThat(e.code()).isEqualTo("CONFIG_INVALID");
            assertThat(e.retryable()).isFalse();
            return e.getMessage();
        }
        throw new AssertionError("expected CONFIG_INVALID for:\n" + text);
    }

    @Test
    void readsTheSameOperationsFromYamlAndFromJson() throws Exception {
        ApiDocument yaml = read(PETSTORE);
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) DocumentReader.read(PETSTORE, "x");
        ApiDocument json = read(Json.write(tree));
        assertThat(json.operations()).isEqualTo(yaml.operations());
        assertThat(yaml.title()).isEqualTo("Petstore");
        assertThat(yaml.version()).isEqualTo("3.0.3");
    }

    @Test
    void malformedYamlAndJsonNameTheLine() {
        assertThat(refusal("openapi: 3.0.3\ninfo:\n  title: [unclosed\npaths: {}\n"))
                .startsWith("config.document is not valid YAML")
                .contains("line 4")
                .doesNotContain("\n");
        assertThat(refusal("{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {,}\n}"))
                .startsWith("config.document is not valid JSON")
                .contains("line 3");
        assertThat(refusal("   ")).isEqualTo("config.document is empty");
        assertThat(refusal("- just\n- a list\n")).contains("is not a JSON or YAML object");
    }

    @Test
    void swaggerTwoAndOtherDocumentsAreRefusedNamingWhatWasFound() {
        assertThat(refusal("swagger: '2.0'\ninfo: {title: old}\npaths: {}\n"))
                .contains("is a Swagger / OpenAPI 2.0 document (swagger: '2.0')")
                .contains("only OpenAPI 3.0 and 3.1 are supported");
        assertThat(refusal("name: my-app\nversion: 3\n"))
                .contains("is not an OpenAPI document: it has no 'openapi' field (found: name, version)");
        assertThat(refusal("openapi: 4.0.0\npaths: {}\n")).contains("declares 'openapi: 4.0.0'");
    }

    @Test
    void aDocumentWithoutOperationsIsRefused() {
        assertThat(refusal("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"))
                .isEqualTo("config.document has no 'paths', so it offers no operations to call");
        assertThat(refusal("openapi: 3.1.0\npaths: {}\n")).contains("'paths' holds no operations");
        assertThat(refusal("openapi: 3.1.0\npaths:\n  pets:\n    get: {}\n"))
                .contains("path 'pets' must start with '/'");
    }

    @Test
    void brokenReferencesAreRefusedWithTheirLocation() {
        assertThat(refusal(PETSTORE.replace("'#/components/parameters/Limit'", "'#/components/parameters/Limt'")))
                .contains("$ref '#/components/parameters/Limt' at paths./pets.get.parameters[0] points at nothing")
                .contains("no 'Limt' in #/components/parameters");
        assertThat(refusal(PETSTORE.replace("'#/components/schemas/NewPet' }", "'pets.yaml#/NewPet' }")))
                .contains("$ref 'pets.yaml#/NewPet'")
                .contains("points outside the document");
        String loop = """
                openapi: 3.0.3
                paths:
                  /a:
                    get:
                      parameters:
                        - $ref: '#/components/parameters/A'
                      responses: {}
                components:
                  parameters:
                    A: { $ref: '#/components/parameters/B' }
                    B: { $ref: '#/components/parameters/A' }
                """;
        assertThat(refusal(loop))
                .contains("$ref cycle at paths./a.get.parameters[0]: #/components/parameters/A -> "
                        + "#/components/parameters/B -> #/components/parameters/A");
        String schemaLoop = loop.replace(
                        "parameters:\n    A:",
                        "schemas:\n    X: { $ref: '#/components/schemas/Y' }\n    Y: { $ref: '#/components/schemas/X' }\n  parameters:\n    Z:")
                .replace(
                        "- $ref: '#/components/parameters/A'",
                        "- { name: q, in: query, schema: { $ref: '#/components/schemas/X' } }");
        assertThat(refusal(schemaLoop)).contains("$ref cycle");
    }

    @Test
    void duplicateOperationIdsAndPathParametersThatDoNotMatchAreRefused() {
        assertThat(refusal(PETSTORE.replace("operationId: addPhoto", "operationId: listPets")))
                .contains("operationId 'listPets' is used by both GET /pets and POST /pets/{petId}/photos");
        assertThat(refusal(PETSTORE.replace("  /pets/{petId}/photos:", "  /pets/{id}/photos:")))
                .contains("paths./pets/{id}/photos.post: the path names {id} but no path parameter 'id' is declared");
        assertThat(refusal(PETSTORE.replace("in: query\n      description", "in: body\n      description")))
                .contains("paths./pets.get.parameters[0] (#/components/parameters/Limit) ('limit') has 'in: body'")
                .contains("expected path, query, header or cookie");
    }
}
