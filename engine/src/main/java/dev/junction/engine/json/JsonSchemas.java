package dev.junction.engine.json;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/** JSON Schema (2020-12) checks on plain values, via networknt's validator. Thread-safe. */
public final class JsonSchemas {
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private JsonSchemas() {}

    /** Returns why {@code schema} is not a valid 2020-12 schema, or {@code null} when it is. */
    public static String check(Map<String, Object> schema) {
        try {
            Schema meta = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
            List<Error> errors = meta.validate(node(schema));
            if (!errors.isEmpty()) {
                return describe(errors.getFirst());
            }
            REGISTRY.getSchema(node(schema));
            return null;
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    /** Validates {@code value}; returns one readable message per violation, empty when valid. */
    public static List<String> validate(Map<String, Object> schema, Object value) {
        String key = Json.write(schema);
        Schema compiled = CACHE.computeIfAbsent(key, k -> REGISTRY.getSchema(node(schema)));
        return compiled.validate(node(value)).stream()
                .map(JsonSchemas::describe)
                .toList();
    }

    private static String describe(Error error) {
        String where = String.valueOf(error.getInstanceLocation());
        String message = error.getMessage();
        return message.startsWith(where) ? message : where + ": " + message;
    }

    private static JsonNode node(Object value) {
        return Json.mapper().valueToTree(value);
    }
}
