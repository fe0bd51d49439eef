package dev.junction.connector.nats;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an operation's input, naming the field in every complaint. */
record Input(String operation, Map<?, ?> values) {

    static Input of(String operation, Object input) throws ConnectorException {
        if (!(input instanceof Map<?, ?> m)) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    "the input of nats '%s' must be an object, not %s".formatted(operation, kind(input)),
                    false);
        }
        return new Input(operation, m);
    }

    String text(String name) throws ConnectorException {
        String v = text(name, null);
        if (v == null || v.isEmpty()) {
            throw invalid(name, "is required");
        }
        return v;
    }

    String text(String name, String fallback) throws ConnectorException {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw invalid(name, "must be text, not " + kind(v));
        }
        return s;
    }

    /** A value as sent: text as is, anything else as JSON. */
    String value(String name) throws ConnectorException {
        if (!values.containsKey(name) || values.get(name) == null) {
            throw invalid(name, "is required");
        }
        return asText(values.get(name));
    }

    Long number(String name, Long fallback) throws ConnectorException {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != n.longValue()) {
            throw invalid(name, "must be a whole number, not " + kind(v));
        }
        return n.longValue();
    }

    /** A list of values ({@code names} as a list, or a single one). */
    List<String> values(String name) throws ConnectorException {
        Object v = values.get(name);
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

    /** An object of field to value, values as text (JSON unless text). */
    Map<String, String> fields(String name) throws ConnectorException {
        if (!(values.get(name) instanceof Map<?, ?> m) || m.isEmpty()) {
            throw invalid(name, "must be a non-empty object of field to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), asText(e.getValue()));
        }
        return out;
    }

    ConnectorException invalid(String name, String why) {
        return new ConnectorException("INPUT_INVALID", "nats '%s': input.%s %s".formatted(operation, name, why), false);
    }

    static String asText(Object v) {
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
