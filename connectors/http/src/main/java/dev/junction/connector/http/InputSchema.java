package dev.junction.connector.http;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One compiled JSON Schema (2020-12, networknt) for checking an operation's input, with messages
 * that name the field: {@code /petId: required}, {@code /limit: string found, integer expected},
 * {@code /colour: not a field of this input}. Compiled once; thread-safe.
 *
 * <p>Unlike {@code JsonSchemas} in the engine this keeps no global cache, so the schemas of
 * connections that come and go (OpenAPI) are freed with their session.
 */
public final class InputSchema {
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final int MAX_MESSAGES = 10;

    private final Schema schema;

    private InputSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * Compiles {@code schema}.
     *
     * @throws IllegalArgumentException when it is not a usable schema
     */
    public static InputSchema of(Map<String, Object> schema) {
        try {
            return new InputSchema(REGISTRY.getSchema(Json.mapper().valueToTree(schema)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a usable JSON Schema: " + e.getMessage(), e);
        }
    }

    /** One message per violation (at most 10), empty when {@code value} is valid. */
    public List<String> problems(Object value) {
        List<Error> errors = schema.validate(Json.mapper().valueToTree(value));
        List<String> out = new ArrayList<>();
        for (Error e : errors) {
            if (out.size() == MAX_MESSAGES) {
                out.add("(" + (errors.size() - MAX_MESSAGES) + " more)");
                break;
            }
            String message = describe(e);
            if (!out.contains(message)) {
                out.add(message);
            }
        }
        return out;
    }

    /**
     * Throws {@code INPUT_INVALID} listing the problems of {@code value}; {@code what} names the
     * input, e.g. "input of operation 'showPetById'".
     */
    public void check(Object value, String what) throws ConnectorException {
        List<String> problems = problems(value);
        if (!problems.isEmpty()) {
            throw new ConnectorException(
                    "INPUT_INVALID", what + " is not valid: " + String.join("; ", problems), false);
        }
    }

    static String describe(Error e) {
        String where = String.valueOf(e.getInstanceLocation());
        if (where.isEmpty() || where.equals("null")) {
            where = "";
        }
        String property = e.getProperty();
        return switch (String.valueOf(e.getKeyword())) {
            case "required" -> where + "/" + property + ": required";
            case "additionalProperties", "unevaluatedProperties" ->
                property == null
                        ? (where.isEmpty() ? "/" : where) + ": " + e.getMessage()
                        : where + "/" + property + ": not a field of this input";
            default -> (where.isEmpty() ? "/" : where) + ": " + e.getMessage();
        };
    }
}
