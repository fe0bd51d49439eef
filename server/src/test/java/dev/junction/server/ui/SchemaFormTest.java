package dev.junction.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.server.ui.SchemaForm.Field;
import dev.junction.server.ui.SchemaForm.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A JSON Schema as form fields, submitted text back as typed JSON, and problems by field. */
class SchemaFormTest {
    private static final Map<String, Object> SCHEMA = Map.of(
            "type",
            "object",
            "required",
            List.of("baseUrl", "port"),
            "additionalProperties",
            false,
            "properties",
            ordered(
                    "baseUrl",
                    Map.of("type", "string", "format", "uri", "pattern", "^https?://", "description", "Where"),
                    "port",
                    Map.of("type", "integer", "minimum", 1, "default", 443),
                    "ratio",
                    Map.of("type", "number"),
                    "verbose",
                    Map.of("type", "boolean"),
                    "mode",
                    Map.of("type", "string", "enum", List.of("fast", "safe")),
                    "email",
                    Map.of("type", "string", "format", "email"),
                    "password",
                    Map.of("type", "string", "writeOnly", true),
                    "tags",
                    Map.of("type", "array", "items", Map.of("type", "string")),
                    "headers",
                    Map.of("type", "object", "additionalProperties", Map.of("type", "string")),
                    "tls",
                    Map.of(
                            "type",
                            "object",
                            "required",
                            List.of("ca"),
                            "properties",
                            Map.of("ca", Map.of("type", "string", "title", "CA file")))));

    private final SchemaForm form = SchemaForm.of(SCHEMA, "config");

    @Test
    void turnsEachKindOfPropertyIntoItsField() {
        List<Field> fields = form.fields(Map.of(), Map.of(), Set.of());
        assertThat(fields)
                .extracting(Field::name)
                .containsExactly(
                        "config.baseUrl",
                        "config.port",
                        "config.ratio",
                        "config.verbose",
                        "config.mode",
                        "config.email",
                        "config.password",
                        "config.tags",
                        "config.headers",
                        "config.tls");
        assertThat(fields)
                .extracting(Field::kind)
                .containsExactly(
                        Kind.URL,
                        Kind.INTEGER,
                        Kind.NUMBER,
                        Kind.BOOLEAN,
                        Kind.SELECT,
                        Kind.EMAIL,
                        Kind.TEXT,
                        Kind.LINES,
                        Kind.PAIRS,
                        Kind.GROUP);
        Field url = fields.getFirst();
        assertThat(url.label()).isEqualTo("Base URL");
        assertThat(url.required()).isTrue();
        assertThat(url.hintText()).isEqualTo("Where");
        assertThat(url.inputType()).isEqualTo("url");
        assertThat(url.describedBy()).isEqualTo("f-config-baseUrl-hint f-config-baseUrl-error");
        assertThat(fields.get(1).value()).as("the default").isEqualTo("443");
        assertThat(fields.get(4).options()).containsExactly("fast", "safe");
        assertThat(fields.get(6).inputType()).isEqualTo("password");
        Field tls = fields.getLast();
        assertThat(tls.children()).singleElement().satisfies(ca -> {
            assertThat(ca.name()).isEqualTo("config.tls.ca");
            assertThat(ca.label()).isEqualTo("CA file");
            assertThat(ca.required()).isTrue();
        });
    }

    @Test
    void readsSubmittedTextAsTypedJson() {
        Map<String, String[]> params = new LinkedHashMap<>();
        params.put("config.baseUrl", new String[] {" https://api.example.com "});
        params.put("config.port", new String[] {"8443"});
        params.put("config.ratio", new String[] {"0.5"});
        params.put("config.verbose", new String[] {"false", "true"});
        params.put("config.mode", new String[] {"safe"});
        params.put("config.email", new String[] {""});
        params.put("config.tags", new String[] {"a\n\n b \nc"});
        params.put("config.headers", new String[] {"X-Team: blue\nAccept: application/json"});
        params.put("config.tls.ca", new String[] {"/etc/ca.pem"});
        params.put("other", new String[] {"ignored"});

        SchemaForm.Read read = form.read(form.typed(params));

        assertThat(read.errors()).isEmpty();
        assertThat(read.json())
                .containsExactly(
                        Map.entry("baseUrl", "https://api.example.com"),
                        Map.entry("port", 8443L),
                        Map.entry("ratio", 0.5),
                        Map.entry("verbose", true),
                        Map.entry("mode", "safe"),
                        Map.entry("tags", List.of("a", "b", "c")),
                        Map.entry("headers", Map.of("X-Team", "blue", "Accept", "application/json")),
                        Map.entry("tls", Map.of("ca", "/etc/ca.pem")));
    }

    @Test
    void textOfTheWrongTypeIsAProblemOfItsFieldAndKeptAsTyped() {
        Map<String, String> typed =
                Map.of("config.baseUrl", "https://x", "config.port", "eighty", "config.tls.ca", "c");

        Map<String, String> errors = form.validate(typed, Set.of());

        assertThat(errors).containsEntry("config.port", "must be a whole number, was 'eighty'");
        Field port = form.field("config.port", typed, errors, Set.of());
        assertThat(port.value()).isEqualTo("eighty");
        assertThat(port.error()).isEqualTo("must be a whole number, was 'eighty'");
    }

    @Test
    void mapsTheSchemaValidatorsProblemsToTheirFields() {
        Map<String, String> typed = Map.of("config.baseUrl", "ftp://x", "config.port", "0", "config.tls.ca", "");

        Map<String, String> errors = form.validate(typed, Set.of());

        assertThat(errors).containsKeys("config.baseUrl", "config.port").doesNotContainKey(SchemaForm.FORM);
        assertThat(errors.get("config.baseUrl")).contains("pattern");
        assertThat(errors.get("config.port")).contains("1");
        assertThat(form.validate(Map.of("config.port", "1"), Set.of()))
                .containsEntry("config.baseUrl", "required")
                .doesNotContainKey("config.tls.ca"); // an optional object left empty is not checked inside
        assertThat(form.errors(List.of("/tls/ca: must be text", "/unknown: is not allowed")))
                .containsEntry("config.tls.ca", "must be text")
                .containsEntry(SchemaForm.FORM, "/unknown: is not allowed");
    }

    @Test
    void aStoredSecretIsNeverShownAndMayStayEmpty() {
        Map<String, Object> schema = Map.of(
                "type",
                "object",
                "required",
                List.of("password"),
                "properties",
                Map.of("password", Map.of("type", "string", "writeOnly", true)));
        SchemaForm secret = SchemaForm.of(schema, "config");

        assertThat(secret.typedFrom(Map.of("password", "hunter2"))).isEmpty();
        assertThat(secret.validate(Map.of(), Set.of())).containsEntry("config.password", "required");
        assertThat(secret.validate(Map.of(), Set.of("config.password"))).isEmpty();
        Field f = secret.fields(Map.of(), Map.of(), Set.of("config.password")).getFirst();
        assertThat(f.stored()).isTrue();
        assertThat(f.value()).isEmpty();
        assertThat(f.hintText()).isEqualTo("Stored, leave empty to keep.");
    }

    @Test
    void prefillsFromStoredJson() {
        Map<String, String> typed = form.typedFrom(Map.of(
                "baseUrl",
                "https://a",
                "tags",
                List.of("x", "y"),
                "headers",
                Map.of("A", "1"),
                "tls",
                Map.of("ca", "c")));

        assertThat(typed)
                .containsEntry("config.baseUrl", "https://a")
                .containsEntry("config.tags", "x\ny")
                .containsEntry("config.headers", "A: 1")
                .containsEntry("config.tls.ca", "c");
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
