package dev.junction.server.ui;

import dev.junction.server.ui.SchemaForm.Kind;
import dev.junction.server.ui.SchemaForm.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parses a JSON Schema's properties into {@link SchemaForm}'s field tree, once per form. */
final class SchemaNodes {
    private SchemaNodes() {}

    /** The fields of an object schema's {@code properties}, named {@code prefix.<property>}. */
    static List<Node> children(Map<?, ?> schema, String prefix) {
        if (!(schema.get("properties") instanceof Map<?, ?> props)) {
            return List.of();
        }
        List<?> required = schema.get("required") instanceof List<?> r ? r : List.of();
        List<Node> out = new ArrayList<>();
        for (var e : props.entrySet()) {
            String key = String.valueOf(e.getKey());
            Map<?, ?> p = e.getValue() instanceof Map<?, ?> m ? m : Map.of();
            out.add(node(p, prefix + "." + key, key, required.contains(key)));
        }
        return List.copyOf(out);
    }

    private static Node node(Map<?, ?> p, String name, String key, boolean required) {
        Kind kind = kind(p);
        String label = p.get("title") instanceof String t ? t : SchemaForm.label(key);
        String hint = p.get("description") instanceof String d ? d : null;
        List<String> options = p.get("enum") instanceof List<?> values
                ? values.stream().map(String::valueOf).toList()
                : List.of();
        return new Node(
                name,
                key,
                kind,
                label,
                hint,
                required,
                Boolean.TRUE.equals(p.get("writeOnly")) || "password".equals(p.get("format")),
                options,
                p.get("default"),
                kind == Kind.GROUP ? children(p, name) : List.of());
    }

    private static Kind kind(Map<?, ?> p) {
        if (p.get("enum") instanceof List<?>) {
            return Kind.SELECT;
        }
        Object type = p.get("type");
        if (type instanceof List<?> types) { // ["string", "null"]: the first non-null type
            type = types.stream()
                    .map(String::valueOf)
                    .filter(t -> !"null".equals(t))
                    .findFirst()
                    .orElse("string");
        }
        return switch (String.valueOf(type)) {
            case "string" ->
                switch (String.valueOf(p.get("format"))) {
                    case "uri", "url", "iri" -> Kind.URL;
                    case "email" -> Kind.EMAIL;
                    default -> p.get("contentMediaType") != null ? Kind.MULTILINE : Kind.TEXT;
                };
            case "integer" -> Kind.INTEGER;
            case "number" -> Kind.NUMBER;
            case "boolean" -> Kind.BOOLEAN;
            case "array" ->
                p.get("items") instanceof Map<?, ?> items && "string".equals(items.get("type"))
                        ? Kind.LINES
                        : Kind.JSON;
            case "object" -> {
                if (p.get("properties") instanceof Map<?, ?>) {
                    yield Kind.GROUP;
                }
                yield p.get("additionalProperties") instanceof Map<?, ?> values && "string".equals(values.get("type"))
                        ? Kind.PAIRS
                        : Kind.JSON;
            }
            default -> Kind.JSON;
        };
    }
}
