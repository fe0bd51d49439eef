package dev.junction.engine.connector;

import dev.junction.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operation's input object, read field by field; every complaint is an {@code INPUT_INVALID}
 * {@link ConnectorException} that names the connector, the operation and the field ({@code nats
 * 'request': input.subject is required}). A null input is an empty object.
 */
public record OperationInput(String connector, String operation, Map<?, ?> fields) {

    public static OperationInput of(String connector, String operation, Object input) throws ConnectorException {
        if (input == null) {
            return new OperationInput(connector, operation, Map.of());
        }
        if (!(input instanceof Map<?, ?> m)) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "the input of %s '%s' must be an object, not %s".formatted(connector, operation, kind(input)),
                    false);
        }
        return new OperationInput(connector, operation, m);
    }

    /** Text that must be present and not blank; {@code hint} says what is expected. */
    public String required(String name, String hint) throws ConnectorException {
        String v = text(name, null);
        if (v == null || v.isBlank()) {
            throw invalid(name, hint == null ? "is required" : "is required (" + hint + ")");
        }
        return v;
    }

    public String text(String name) throws ConnectorException {
        return required(name, null);
    }

    public String text(String name, String fallback) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw invalid(name, "must be text, not " + kind(v));
        }
        return s;
    }

    /** A value as sent on the wire: text as is, anything else as JSON; required. */
    public String value(String name) throws ConnectorException {
        if (fields.get(name) == null) {
            throw invalid(name, "is required");
        }
        return asText(fields.get(name));
    }

    public Long number(String name, Long fallback) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != n.longValue()) {
            throw invalid(name, "must be a whole number, not " + kind(v));
        }
        return n.longValue();
    }

    public long number(String name, long fallback, long min, long max) throws ConnectorException {
        Long n = number(name, fallback);
        if (n < min || n > max) {
            throw invalid(name, "must be a whole number from %d to %d, not %d".formatted(min, max, n));
        }
        return n;
    }

    public boolean flag(String name, boolean fallback) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw invalid(name, "must be true or false, not " + kind(v));
        }
        return b;
    }

    /** A non-empty list of values as text (a single value counts as a list of one). */
    public List<String> values(String name) throws ConnectorException {
        Object v = fields.get(name);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                out.add(asText(o));
            }
        } else if (v != null) {
            out.add(asText(v));
        }
        if (out.isEmpty()) {
            throw invalid(name, "must be a non-empty list");
        }
        return out;
    }

    /** A possibly empty list of texts; a single text counts as a list of one. */
    public List<String> texts(String name) throws ConnectorException {
        Object v = fields.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return s.isBlank() ? List.of() : List.of(s);
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw invalid(name, "must be text or a list of texts, not a list holding " + kind(o));
                }
                out.add(s);
            }
            return out;
        }
        throw invalid(name, "must be text or a list of texts, not " + kind(v));
    }

    /** A non-empty object of field to value, values as text (JSON unless text). */
    public Map<String, String> fields(String name) throws ConnectorException {
        if (!(fields.get(name) instanceof Map<?, ?> m) || m.isEmpty()) {
            throw invalid(name, "must be a non-empty object of field to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), asText(e.getValue()));
        }
        return out;
    }

    /** {@code encoding}: {@code text} (UTF-8, the default) or {@code base64}. */
    public boolean base64() throws ConnectorException {
        String e = text("encoding", "text");
        return switch (e) {
            case "text" -> false;
            case "base64" -> true;
            default -> throw invalid("encoding", "must be 'text' or 'base64', not '" + e + "'");
        };
    }

    /** {@code content} as bytes: UTF-8 text, or base64 with {@code encoding: base64}. */
    public byte[] content() throws ConnectorException {
        Object v = fields.get("content");
        if (!(v instanceof String s)) {
            throw invalid("content", "is required: text, or base64 with \"encoding\": \"base64\"");
        }
        if (!base64()) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw invalid("content", "is not valid base64: " + e.getMessage());
        }
    }

    public Object raw(String name) {
        return fields.get(name);
    }

    public ConnectorException invalid(String name, String why) {
        return new ConnectorException(
                "INPUT_INVALID", "%s '%s': input.%s %s".formatted(connector, operation, name, why), false);
    }

    public static String asText(Object v) {
        return v instanceof String s ? s : Json.write(v);
    }

    private static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "text";
            case Number n -> "a number";
            case Boolean b -> "a boolean";
            case List<?> l -> "a list";
            case Map<?, ?> m -> "an object";
            default -> v.getClass().getSimpleName();
        };
    }
}
