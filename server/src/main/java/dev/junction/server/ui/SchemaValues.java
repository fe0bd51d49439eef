package dev.junction.server.ui;

import dev.junction.engine.json.Json;
import dev.junction.server.ui.SchemaForm.Kind;
import dev.junction.server.ui.SchemaForm.Node;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@link SchemaForm}'s conversions between typed JSON and the text of its fields. */
final class SchemaValues {
    private SchemaValues() {}

    /** The JSON of {@code nodes} from their text; problems of type go to {@code errors}. */
    static Map<String, Object> read(List<Node> nodes, Map<String, String> typed, Map<String, String> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n.kind() == Kind.GROUP) {
                Map<String, Object> inner = read(n.children(), typed, errors);
                if (!inner.isEmpty()) {
                    out.put(n.key(), inner);
                }
                continue;
            }
            String text = typed.get(n.name());
            if (n.kind() == Kind.BOOLEAN) {
                if (text != null) {
                    out.put(n.key(), "true".equals(text));
                }
                continue;
            }
            if (text == null || text.isBlank()) {
                continue; // empty: left out, so "required" and defaults apply
            }
            try {
                out.put(n.key(), value(n.kind(), text));
            } catch (IllegalArgumentException e) {
                errors.put(n.name(), e.getMessage());
            }
        }
        return out;
    }

    private static Object value(Kind kind, String text) {
        String t = text.strip();
        return switch (kind) {
            case INTEGER -> {
                try {
                    yield new BigDecimal(t).longValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("must be a whole number, was '" + t + "'");
                }
            }
            case NUMBER -> {
                try {
                    BigDecimal d = new BigDecimal(t);
                    yield d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number, was '" + t + "'");
                }
            }
            case LINES -> t.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            case PAIRS -> pairs(t);
            case JSON -> {
                try {
                    yield Json.read(t);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("must be JSON, such as {\"key\": \"value\"} or [1, 2]");
                }
            }
            case MULTILINE -> text; // PEM and the like: kept as typed
            default -> t;
        };
    }

    private static Map<String, Object> pairs(String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String line :
                text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("one 'name: value' per line; '" + line + "' has no name");
            }
            out.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return out;
    }

    /** The text of each field of stored {@code json}; secrets are never shown. */
    static void show(List<Node> nodes, Map<?, ?> json, Map<String, String> out) {
        for (Node n : nodes) {
            Object v = json.get(n.key());
            if (v == null || n.secret()) {
                continue;
            }
            if (n.kind() == Kind.GROUP) {
                if (v instanceof Map<?, ?> inner) {
                    show(n.children(), inner, out);
                }
            } else {
                out.put(n.name(), text(n, v));
            }
        }
    }

    /** A JSON value as its field's text. */
    static String text(Node n, Object v) {
        return switch (n.kind()) {
            case LINES ->
                v instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining("\n")) : "";
            case PAIRS ->
                v instanceof Map<?, ?> m
                        ? m.entrySet().stream()
                                .map(e -> e.getKey() + ": " + e.getValue())
                                .collect(Collectors.joining("\n"))
                        : "";
            case JSON -> Json.write(v);
            default -> String.valueOf(v);
        };
    }
}
