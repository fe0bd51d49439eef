package dev.junction.server.connection;

import dev.junction.engine.connector.ConnectorDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A connector's reference page in Markdown, rendered from its descriptor alone (config schema, auth
 * types, operations with their input and output schemas, triggers), so the reference cannot drift
 * from the code. The pages live in {@code docs/connectors/<id>.md}; a test keeps them current.
 */
public final class ConnectorReference {
    private ConnectorReference() {}

    public static String markdown(ConnectorDescriptor d) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(d.name()).append(" (`").append(d.id()).append("`)\n\n");
        md.append("<!-- generated from the connector's descriptor; edit the connector, not this page -->\n\n");
        md.append(d.description()).append("\n\n");
        md.append("Connector id: `").append(d.id()).append("` · auth types: ");
        md.append(d.authTypes().stream().map(a -> "`" + a + "`").collect(Collectors.joining(", ")));
        md.append(" · triggers: ")
                .append(
                        d.triggers().isEmpty()
                                ? "none"
                                : d.triggers().stream().map(t -> "`" + t + "`").collect(Collectors.joining(", ")));
        if (d.dynamicOperations()) {
            md.append(" · operations come from each connection (`GET /api/v1/connections/{id}/operations`)");
        }
        md.append("\n\n## Configuration\n\n");
        md.append(fields(d.configSchema()));
        md.append("\nFields marked *secret* are write-only: kept in the vault, never returned by the API.\n");
        if (!d.operations().isEmpty()) {
            md.append("\n## Operations\n");
            for (ConnectorDescriptor.Operation op : d.operations()) {
                md.append("\n### `").append(op.name()).append("`");
                if (op.pollable()) {
                    md.append(" (pollable)");
                }
                md.append("\n\n").append(op.description()).append("\n\n");
                if (op.pollable()) {
                    md.append(
                            "Drives a `poll` trigger: takes `cursor` in its input and answers `{items, cursor}`.\n\n");
                }
                md.append("Input:\n\n").append(fields(op.inputSchema()));
                String output = describe(op.outputSchema());
                if (!output.isEmpty()) {
                    md.append("\nOutput: ").append(output).append("\n");
                }
            }
        }
        return md.toString();
    }

    private static String fields(Map<String, Object> schema) {
        if (!(schema.get("properties") instanceof Map<?, ?> props) || props.isEmpty()) {
            String text = describe(schema);
            return (text.isEmpty() ? "any JSON value" : text) + "\n";
        }
        List<?> required = schema.get("required") instanceof List<?> r ? r : List.of();
        StringBuilder md =
                new StringBuilder("| field | type | required | default | description |\n|---|---|---|---|---|\n");
        List<String> names = new ArrayList<>();
        props.keySet().forEach(k -> names.add(String.valueOf(k)));
        names.sort(String::compareTo);
        names.sort((a, b) -> Boolean.compare(!required.contains(a), !required.contains(b)));
        for (String name : names) {
            Map<?, ?> p = props.get(name) instanceof Map<?, ?> m ? m : Map.of();
            md.append("| `").append(name).append("` | ").append(type(p));
            if (Boolean.TRUE.equals(p.get("writeOnly"))) {
                md.append(", *secret*");
            }
            md.append(" | ").append(required.contains(name) ? "yes" : "");
            md.append(" | ").append(defaultValue(p.get("default")));
            md.append(" | ").append(cell(p.get("description"))).append(" |\n");
        }
        return md.toString();
    }

    private static String type(Map<?, ?> p) {
        Object type = p.get("type");
        String t = type instanceof List<?> l
                ? l.stream().map(String::valueOf).collect(Collectors.joining(" or "))
                : type == null ? "any" : String.valueOf(type);
        if (p.get("enum") instanceof List<?> values) {
            t += ": " + values.stream().map(v -> "`" + v + "`").collect(Collectors.joining(", "));
        }
        if (p.get("minimum") != null || p.get("maximum") != null) {
            t += " (" + (p.get("minimum") == null ? "" : p.get("minimum")) + "–"
                    + (p.get("maximum") == null ? "" : p.get("maximum")) + ")";
        }
        return t;
    }

    private static String describe(Map<String, Object> schema) {
        if (schema.get("description") instanceof String s) {
            return cell(s);
        }
        if (schema.get("properties") instanceof Map<?, ?> props && !props.isEmpty()) {
            return "`{"
                    + props.keySet().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "))
                    + "}`";
        }
        return schema.get("type") == null ? "" : String.valueOf(schema.get("type"));
    }

    private static String defaultValue(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof String s ? "`\"" + s + "\"`" : "`" + value + "`";
    }

    private static String cell(Object text) {
        return text == null ? "" : String.valueOf(text).replace("|", "\\|").replace("\n", " ");
    }
}
