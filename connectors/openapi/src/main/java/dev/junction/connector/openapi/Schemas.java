package dev.junction.connector.openapi;

import dev.junction.engine.connector.ConnectorException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the schemas of an OpenAPI document into self-contained JSON Schema 2020-12: every local
 * {@code $ref} is rewritten to {@code #/$defs/<name>} and the referenced schema copied into {@link
 * #defs()}, so recursive schemas (a tree whose children are trees) need no unrolling. OpenAPI 3.0's
 * dialect is translated: {@code nullable: true} adds {@code "null"} to the type, boolean {@code
 * exclusiveMinimum}/{@code exclusiveMaximum} become numbers, {@code $ref} siblings are dropped (3.0
 * ignores them). OpenAPI-only keywords ({@code discriminator}, {@code xml}, {@code externalDocs},
 * 3.0's {@code example}) are left out. One instance collects the {@code $defs} of one schema
 * document (an operation's input or output); not thread-safe.
 */
final class Schemas {
    private static final Set<String> SCHEMA_MAPS =
            Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> SCHEMA_VALUES = Set.of(
            "items",
            "additionalItems",
            "additionalProperties",
            "not",
            "contains",
            "if",
            "then",
            "else",
            "propertyNames",
            "unevaluatedProperties",
            "unevaluatedItems");
    private static final Set<String> DROPPED = Set.of("discriminator", "xml", "externalDocs", "nullable");
    private static final String COMPONENT_SCHEMAS = "#/components/schemas/";

    private final Refs refs;
    private final boolean openApi30;
    /** $ref (as written in the document) → name under $defs. */
    private final Map<String, String> names = new LinkedHashMap<>();

    private final Map<String, Object> defs = new LinkedHashMap<>();
    private final Deque<String> pending = new ArrayDeque<>();

    Schemas(Refs refs, boolean openApi30) {
        this.refs = refs;
        this.openApi30 = openApi30;
    }

    /**
     * {@code schema} in JSON Schema 2020-12 with its references pointing into {@link #defs()}; an
     * absent schema is {@code {}} (anything).
     *
     * @param at where the schema sits, for messages
     */
    Object convert(Object schema, String at) throws ConnectorException {
        Object out = node(schema, at);
        while (!pending.isEmpty()) {
            String ref = pending.pop();
            refs.follow(Map.of("$ref", ref), at); // refuses loops of bare references
            defs.put(names.get(ref), node(refs.pointer(ref, at), ref));
        }
        return out;
    }

    /** The referenced schemas collected so far, by name; empty when none. */
    Map<String, Object> defs() {
        return defs;
    }

    private Object node(Object schema, String at) throws ConnectorException {
        if (schema == null) {
            return new LinkedHashMap<String, Object>();
        }
        if (schema instanceof Boolean) {
            return schema;
        }
        if (!(schema instanceof Map<?, ?> m)) {
            throw Refs.invalid("%s: the schema at %s must be an object, not %s".formatted(refs.where(), at, schema));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (m.get("$ref") != null) {
            out.put("$ref", "#/$defs/" + name(refs.ref(m.get("$ref"), at)));
            if (openApi30) {
                return out;
            }
        }
        for (var e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!key.equals("$ref") && !DROPPED.contains(key) && !(openApi30 && key.equals("example"))) {
                keyword(m, key, e.getValue(), at + "." + key, out);
            }
        }
        if (openApi30) {
            exclusiveBounds(m, out);
            nullable(m, out);
        }
        return out;
    }

    /** Copies keyword {@code key} of schema {@code m} into {@code out}, converting the schemas inside it. */
    private void keyword(Map<?, ?> m, String key, Object value, String here, Map<String, Object> out)
            throws ConnectorException {
        if (SCHEMA_MAPS.contains(key) && value instanceof Map<?, ?> children) {
            Map<String, Object> converted = new LinkedHashMap<>();
            for (var c : children.entrySet()) {
                converted.put(String.valueOf(c.getKey()), node(c.getValue(), here + "." + c.getKey()));
            }
            out.put(key, converted);
        } else if ((SCHEMA_LISTS.contains(key) || key.equals("items")) && value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                converted.add(node(list.get(i), here + "[" + i + "]"));
            }
            out.put(key.equals("items") ? "prefixItems" : key, converted); // the old tuple form of items
        } else if (SCHEMA_VALUES.contains(key) && (value instanceof Map<?, ?> || value instanceof Boolean)) {
            out.put(key, node(value, here));
        } else if (openApi30 && (key.equals("exclusiveMinimum") || key.equals("exclusiveMaximum"))) {
            String bound = key.equals("exclusiveMinimum") ? "minimum" : "maximum";
            if (Boolean.TRUE.equals(value) && m.get(bound) != null) {
                out.put(key, m.get(bound));
            } else if (value instanceof Number) {
                out.put(key, value);
            }
        } else {
            out.put(key, value);
        }
    }

    /** 3.0: {@code exclusiveMinimum: true, minimum: 5} is {@code exclusiveMinimum: 5} in 2020-12. */
    private static void exclusiveBounds(Map<?, ?> in, Map<String, Object> out) {
        if (Boolean.TRUE.equals(in.get("exclusiveMinimum"))) {
            out.remove("minimum");
        }
        if (Boolean.TRUE.equals(in.get("exclusiveMaximum"))) {
            out.remove("maximum");
        }
    }

    private static void nullable(Map<?, ?> in, Map<String, Object> out) {
        if (!Boolean.TRUE.equals(in.get("nullable"))) {
            return;
        }
        if (out.get("type") instanceof String type) {
            out.put("type", List.of(type, "null"));
        }
        if (out.get("enum") instanceof List<?> values && !values.contains(null)) {
            List<Object> withNull = new ArrayList<>(values);
            withNull.add(null);
            out.put("enum", withNull);
        }
    }

    /** The $defs name for {@code ref}: a component schema's own name, else the pointer made safe. */
    private String name(String ref) {
        String known = names.get(ref);
        if (known != null) {
            return known;
        }
        String base = ref.startsWith(COMPONENT_SCHEMAS) && ref.indexOf('/', COMPONENT_SCHEMAS.length()) < 0
                ? ref.substring(COMPONENT_SCHEMAS.length())
                : ref.substring(1).replaceAll("[^A-Za-z0-9_.-]+", "_").replaceAll("^_+", "");
        base = base.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (base.isEmpty()) {
            base = "root";
        }
        String name = base;
        for (int n = 2; names.containsValue(name); n++) {
            name = base + "_" + n;
        }
        names.put(ref, name);
        pending.push(ref);
        return name;
    }
}
