package dev.junction.server.ui;

import dev.junction.engine.json.JsonSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTML form generated from a JSON Schema (an object with {@code properties}), and the way back
 * from the submitted form to JSON of the schema's types. Every field is named {@code
 * <prefix>.<property>} ({@code config.baseUrl}, {@code input.customer.email} for a nested object),
 * so several forms can share one HTML form. Strings, numbers, integers and booleans become inputs
 * (format {@code uri} and {@code email} their own input types), an {@code enum} a select, a nested
 * object with properties a fieldset, an array of strings a one-per-line textarea, an object of
 * string values (say, headers) a {@code name: value} per line textarea, anything else a JSON
 * textarea. {@code writeOnly} properties are secrets: password inputs whose stored value is never
 * shown ({@link #fields} marks them "stored" instead).
 *
 * <p>Values travel as the text the user typed ({@code Map<String, String>} by field name), so a
 * form with errors shows exactly what was typed; {@link #read} turns that text into typed JSON and
 * {@link #validate} checks it with {@link JsonSchemas}, the validation the API uses, and maps each
 * problem to its field. Immutable and thread-safe.
 *
 * <p>Use (say, a flow's "Run now" form from its {@code inputSchema}):
 *
 * <pre>{@code
 * SchemaForm form = SchemaForm.of(inputSchema, "input");
 * // GET: the fields with their defaults
 * params.put("fields", form.fields(Map.of(), Map.of(), Set.of()));
 * // POST: what was typed, checked by the API's validation
 * Map<String, String> typed = form.typed(request.getParameterMap());
 * Map<String, String> errors = form.validate(typed, Set.of());
 * if (errors.isEmpty()) { start(form.read(typed).json()); }
 * else { params.put("fields", form.fields(typed, errors, Set.of())); } // 422, typed text kept
 * }</pre>
 *
 * and in the template {@code @template.schemaForm(fields = fields, validate = "/ui/...")} inside a
 * {@code <form>}; {@code validate} (optional) is where each field posts the form on change for an
 * inline check, answered with {@code schemaField.jte} ({@code oob = true}) for the field named by
 * the {@code HX-Trigger-Name} header, as {@code ConnectionSetupPages.validated} does.
 */
public final class SchemaForm {
    /** The problems not tied to one field are under this key. */
    public static final String FORM = "";

    private static final Pattern REQUIRED = Pattern.compile("required property '([^']+)'");

    private final String prefix;
    private final Map<String, Object> schema;
    private final List<Node> nodes;

    private SchemaForm(String prefix, Map<String, Object> schema, List<Node> nodes) {
        this.prefix = prefix;
        this.schema = schema;
        this.nodes = nodes;
    }

    /** The form of {@code schema} with fields named {@code prefix.<property>}. */
    public static SchemaForm of(Map<String, Object> schema, String prefix) {
        Map<String, Object> s = schema == null ? Map.of() : schema;
        return new SchemaForm(prefix, s, SchemaNodes.children(s, prefix));
    }

    /** How a field is entered. */
    public enum Kind {
        TEXT,
        URL,
        EMAIL,
        NUMBER,
        INTEGER,
        BOOLEAN,
        SELECT,
        LINES,
        PAIRS,
        MULTILINE,
        JSON,
        GROUP
    }

    /** A property of the schema, as parsed once. */
    record Node(
            String name,
            String key,
            Kind kind,
            String label,
            String hint,
            boolean required,
            boolean secret,
            List<String> options,
            Object fallback,
            List<Node> children) {}

    /**
     * A field as the template shows it: {@code value} is the text to show (never a stored secret),
     * {@code error} the problem to show next to it (null: none), {@code stored} whether a secret is
     * kept when left empty. A {@link Kind#GROUP} has {@code children} instead of a value.
     */
    public record Field(
            String name,
            String id,
            Kind kind,
            String label,
            String hint,
            boolean required,
            boolean secret,
            boolean stored,
            List<String> options,
            String value,
            String error,
            List<Field> children) {
        public Field {
            options = List.copyOf(options);
            children = List.copyOf(children);
        }

        public String errorId() {
            return id + "-error";
        }

        public String hintId() {
            return id + "-hint";
        }

        /** The ids of the hint and the error slot, for {@code aria-describedby}. */
        public String describedBy() {
            return hintText() == null ? errorId() : hintId() + " " + errorId();
        }

        /** The hint with "stored, leave empty to keep" for a stored secret; null when none. */
        public String hintText() {
            if (stored) {
                return hint == null ? "Stored, leave empty to keep." : hint + " (stored, leave empty to keep)";
            }
            return hint;
        }

        /** The {@code type} of the input element. */
        public String inputType() {
            if (secret) {
                return "password";
            }
            return switch (kind) {
                case URL -> "url";
                case EMAIL -> "email";
                case NUMBER, INTEGER -> "text"; // inputmode gives the keypad; the text stays as typed
                default -> "text";
            };
        }

        public String inputMode() {
            return switch (kind) {
                case NUMBER -> "decimal";
                case INTEGER -> "numeric";
                default -> null;
            };
        }

        public boolean checked() {
            return "true".equals(value);
        }
    }

    /** The form's JSON and the fields whose text is not of their type (by field name). */
    public record Read(Map<String, Object> json, Map<String, String> errors) {}

    public String prefix() {
        return prefix;
    }

    public Map<String, Object> schema() {
        return schema;
    }

    /** Whether {@code name} is one of this form's fields (nested ones included). */
    public boolean has(String name) {
        return find(nodes, name) != null;
    }

    /** The text of this form's fields in submitted form parameters (other parameters are ignored). */
    public Map<String, String> typed(Map<String, String[]> params) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(nodes, params, out);
        return out;
    }

    /** The text stored {@code json} shows as (secrets left out), to prefill the form. */
    public Map<String, String> typedFrom(Map<String, Object> json) {
        Map<String, String> out = new LinkedHashMap<>();
        SchemaValues.show(nodes, json == null ? Map.of() : json, out);
        return out;
    }

    /** The typed JSON of {@code typed}: empty fields are left out, unchecked booleans are false. */
    public Read read(Map<String, String> typed) {
        Map<String, String> errors = new LinkedHashMap<>();
        Map<String, Object> json = SchemaValues.read(nodes, typed, errors);
        return new Read(json, errors);
    }

    /**
     * The problems of {@code typed} by field name: text not of its type, then the schema's own
     * validation. A required secret left empty is no problem when it is {@code stored}.
     */
    public Map<String, String> validate(Map<String, String> typed, Set<String> stored) {
        Read read = read(typed);
        Map<String, String> errors = new LinkedHashMap<>(read.errors());
        errors(JsonSchemas.validate(schema, read.json())).forEach((name, problem) -> {
            if (!errors.containsKey(name) && !stored.contains(name)) {
                errors.put(name, problem);
            }
        });
        return errors;
    }

    /**
     * {@link JsonSchemas#validate} problems by field name ({@code "/baseUrl: does not match ..."}
     * → {@code config.baseUrl}); one not tied to a field of the form is under {@link #FORM}.
     * The first problem of a field wins.
     */
    public Map<String, String> errors(List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String problem : problems) {
            int colon = problem.indexOf(": ");
            String location = colon < 0 ? "" : problem.substring(0, colon);
            String message = colon < 0 ? problem : problem.substring(colon + 2);
            String path = location.replaceFirst("^\\$", "").replace('/', '.');
            Matcher required = REQUIRED.matcher(message);
            if (required.find()) {
                path = path + "." + required.group(1);
                message = "required";
            }
            String name = prefix + (path.isEmpty() || path.startsWith(".") ? path : "." + path);
            out.putIfAbsent(has(name) ? name : FORM, has(name) ? message : problem);
        }
        return out;
    }

    /** The fields to show with {@code typed} text, {@code errors} by field name and the {@code stored} secrets. */
    public List<Field> fields(Map<String, String> typed, Map<String, String> errors, Set<String> stored) {
        return fields(nodes, typed, errors, stored);
    }

    /** One field (say, to answer an inline validation), or null when the form has no such field. */
    public Field field(String name, Map<String, String> typed, Map<String, String> errors, Set<String> stored) {
        Node node = find(nodes, name);
        return node == null ? null : field(node, typed, errors, stored);
    }

    private static List<Field> fields(
            List<Node> nodes, Map<String, String> typed, Map<String, String> errors, Set<String> stored) {
        List<Field> out = new ArrayList<>();
        for (Node n : nodes) {
            out.add(field(n, typed, errors, stored));
        }
        return out;
    }

    private static Field field(Node n, Map<String, String> typed, Map<String, String> errors, Set<String> stored) {
        String value = typed.get(n.name());
        if (value == null && n.fallback() != null && !n.secret()) {
            value = SchemaValues.text(n, n.fallback());
        }
        return new Field(
                n.name(),
                id(n.name()),
                n.kind(),
                n.label(),
                n.hint(),
                n.required(),
                n.secret(),
                n.secret() && stored.contains(n.name()),
                n.options(),
                value == null ? "" : value,
                errors.get(n.name()),
                fields(n.children(), typed, errors, stored));
    }

    /** An element id for a field name ({@code config.baseUrl} → {@code f-config-baseUrl}). */
    public static String id(String name) {
        return "f-" + name.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    private static void collect(List<Node> nodes, Map<String, String[]> params, Map<String, String> out) {
        for (Node n : nodes) {
            if (n.kind() == Kind.GROUP) {
                collect(n.children(), params, out);
            } else if (params.get(n.name()) != null && params.get(n.name()).length > 0) {
                String[] values = params.get(n.name());
                // a checkbox comes with a hidden "false" before it: the last value wins
                out.put(n.name(), values[values.length - 1]);
            }
        }
    }

    private static Node find(List<Node> nodes, String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
            Node inner = find(n.children(), name);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** "baseUrl" → "Base URL", "max_pool_size" → "Max pool size". */
    static String label(String key) {
        String spaced = key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ');
        StringBuilder out = new StringBuilder();
        for (String word : spaced.split(" ")) {
            String lower = word.toLowerCase(Locale.ROOT);
            String shown = Set.of("url", "uri", "id", "tls", "ssl", "api", "sql", "jdbc", "http", "ca")
                            .contains(lower)
                    ? lower.toUpperCase(Locale.ROOT)
                    : lower;
            out.append(out.isEmpty() ? Character.toUpperCase(shown.charAt(0)) + shown.substring(1) : " " + shown);
        }
        return out.toString();
    }
}
