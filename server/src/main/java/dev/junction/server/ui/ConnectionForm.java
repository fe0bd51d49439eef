package dev.junction.server.ui;

import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.ui.SchemaForm.Field;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the connection wizard's form holds: the connector, the connection's id and name, the chosen
 * auth type, every field's text as typed (auth fields as {@code auth.<type>.<field>}, config fields
 * as {@code config.<property>}), the problems by field name ({@link SchemaForm#FORM}: not tied to a
 * field) and the secrets already stored (an existing connection's). Turns into the API's
 * create/update body, and an API problem back into problems by field.
 */
public record ConnectionForm(
        ConnectorDescriptor connector,
        String id,
        String name,
        String authType,
        Map<String, String> typed,
        Map<String, String> errors,
        Set<String> stored,
        boolean existing) {

    public ConnectionForm {
        typed = Map.copyOf(typed);
        errors = Map.copyOf(errors);
        stored = Set.copyOf(stored);
    }

    /** One auth type the connector supports, as a choice with its fields. */
    public record AuthChoice(String type, String label, boolean chosen, List<Field> fields) {
        public String id() {
            return "auth-type-" + type;
        }
    }

    /** An empty form for a new connection. */
    static ConnectionForm blank(ConnectorDescriptor d) {
        return new ConnectionForm(d, "", "", d.authTypes().getFirst(), Map.of(), Map.of(), Set.of(), false);
    }

    /** The form as submitted. */
    static ConnectionForm submitted(ConnectorDescriptor d, Map<String, String[]> params, boolean existing) {
        String type = first(params, "auth.type");
        String authType = type != null && d.authTypes().contains(type)
                ? type
                : d.authTypes().getFirst();
        Map<String, String> typed =
                new LinkedHashMap<>(AuthForms.type(authType).form().typed(params));
        typed.putAll(config(d).typed(params));
        String id = first(params, "id");
        String name = first(params, "name");
        return new ConnectionForm(
                d,
                id == null ? "" : id.strip(),
                name == null ? "" : name.strip(),
                authType,
                typed,
                Map.of(),
                Set.of(),
                existing);
    }

    /**
     * An existing connection, from the API's view of it: its config and the plain auth fields as
     * text, its secrets only as "stored" (never their values).
     */
    @SuppressWarnings("unchecked")
    static ConnectionForm existing(ConnectorDescriptor d, Map<String, Object> view) {
        Map<String, Object> auth = (Map<String, Object>) view.getOrDefault("auth", Map.of());
        String type = String.valueOf(auth.getOrDefault("type", "none"));
        Map<String, String> typed =
                new LinkedHashMap<>(AuthForms.type(type).form().typedFrom(auth));
        typed.putAll(config(d).typedFrom((Map<String, Object>) view.getOrDefault("config", Map.of())));
        Set<String> stored = new HashSet<>();
        for (Object secret : (List<Object>) view.getOrDefault("secretsSet", List.of())) {
            String s = String.valueOf(secret); // "auth.password", "config.password"
            stored.add(s.startsWith("auth.") ? "auth." + type + s.substring(4) : s);
        }
        return new ConnectionForm(
                d,
                String.valueOf(view.get("id")),
                String.valueOf(view.get("name")),
                type,
                typed,
                Map.of(),
                stored,
                true);
    }

    ConnectionForm withErrors(Map<String, String> problems) {
        return new ConnectionForm(connector, id, name, authType, typed, problems, stored, existing);
    }

    ConnectionForm withStored(Set<String> secrets) {
        return new ConnectionForm(connector, id, name, authType, typed, errors, secrets, existing);
    }

    static SchemaForm config(ConnectorDescriptor d) {
        return SchemaForm.of(d.configSchema(), "config");
    }

    public List<AuthChoice> authChoices() {
        return connector.authTypes().stream()
                .map(t -> {
                    AuthForms.Type type = AuthForms.type(t);
                    return new AuthChoice(
                            t, type.label(), t.equals(authType), type.form().fields(typed, errors, stored));
                })
                .toList();
    }

    public List<Field> configFields() {
        return config(connector).fields(typed, errors, stored);
    }

    /** "2 fields need attention" above the form, or null when no field has a problem. */
    public String fieldProblems() {
        long n =
                errors.keySet().stream().filter(k -> !k.equals(SchemaForm.FORM)).count();
        return n == 0
                ? null
                : n == 1
                        ? "1 field needs attention; it is marked below."
                        : n + " fields need attention; they are marked below.";
    }

    public String error(String field) {
        return errors.get(field);
    }

    /** The id, name and auth as hidden fields, while the config is asked for. */
    public Map<String, String> carried() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("name", name);
        out.put("auth.type", authType);
        typed.forEach((k, v) -> {
            if (k.startsWith("auth.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The configuration typed so far, as hidden fields while step 2 is shown again ("Back"). */
    public Map<String, String> carriedConfig() {
        Map<String, String> out = new LinkedHashMap<>();
        typed.forEach((k, v) -> {
            if (k.startsWith("config.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Whether a problem concerns the id, name or auth (asked before the config). */
    boolean identityInvalid() {
        return errors.keySet().stream().anyMatch(k -> k.equals("id") || k.equals("name") || k.startsWith("auth."));
    }

    /** The API body without the config, and the problems of typing (none: empty). */
    Map<String, Object> identityBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!existing) {
            body.put("id", id);
        }
        body.put("name", name.isEmpty() ? id : name);
        body.put("connector", connector.id());
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("type", authType);
        auth.putAll(AuthForms.type(authType).form().read(typed).json());
        body.put("auth", auth);
        return body;
    }

    /** The API's create or update body; {@code typeErrors} gets text that is not of its type. */
    Map<String, Object> body(Map<String, String> typeErrors) {
        Map<String, Object> body = identityBody();
        SchemaForm.Read config = config(connector).read(typed);
        typeErrors.putAll(config.errors());
        body.put("config", config.json());
        return body;
    }

    /** An API problem by field: its {@code field} (and a config's every schema problem) or the whole form. */
    Map<String, String> errorsOf(ApiProblem problem) {
        Map<String, String> out = new LinkedHashMap<>();
        if (problem.properties().get("errors") instanceof List<?> problems) {
            out.putAll(config(connector)
                    .errors(problems.stream().map(String::valueOf).toList()));
        }
        String field = String.valueOf(problem.properties().getOrDefault("field", ""));
        String name = field.startsWith("auth.") && !field.equals("auth.type")
                ? "auth." + authType + field.substring(4)
                : field;
        boolean known = name.equals("id") || name.equals("name") || name.equals("auth.type") || typedOrKnown(name);
        String text = problem.code() + ": " + problem.getMessage();
        out.putIfAbsent(known ? name : SchemaForm.FORM, known ? problem.getMessage() : text);
        return out;
    }

    private boolean typedOrKnown(String name) {
        return config(connector).has(name) || AuthForms.type(authType).form().has(name);
    }

    private static String first(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 ? null : v[0];
    }
}
