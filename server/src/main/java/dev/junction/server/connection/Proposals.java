package dev.junction.server.connection;

import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.json.JsonSchemas;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.connection.ConnectionAuth.FieldException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Validates a proposed connection (create or update body): known fields, the connector, its config
 * against the connector's JSON Schema, auth and limits; splits write-only values off for the vault.
 * Every refusal is a 422 problem naming its field.
 */
@Component
class Proposals {
    private final ConnectorRegistry registry;

    Proposals(ConnectorRegistry registry) {
        this.registry = registry;
    }

    /** A proposed connection, validated: what is stored in clear, what goes to the vault. */
    record Proposal(
            String id,
            String name,
            Connector connector,
            Map<String, Object> config,
            Map<String, Object> auth,
            Map<String, Object> limits,
            Map<String, String> secrets) {}

    Proposal propose(String id, Map<String, Object> body, Map<String, String> kept) {
        for (String key : body.keySet()) {
            if (!List.of("id", "name", "connector", "config", "auth", "limits", "activate")
                    .contains(key)) {
                throw field(
                        key,
                        "CONNECTION_INVALID",
                        "unknown field '%s'; expected id, name, connector, config, auth, limits, activate"
                                .formatted(key));
            }
        }
        Connector connector = connector(body);
        String n = name(body, id);
        Map<String, Object> config = object(body.get("config"), "config");
        Map<String, Object> limits = object(body.get("limits"), "limits");
        ConnectorDescriptor d = connector.describe();
        Map<String, String> secretValues = new LinkedHashMap<>();
        Map<String, Object> plainConfig = new LinkedHashMap<>();
        List<String> writeOnly = writeOnlyFields(d.configSchema());
        Map<String, Object> full = new LinkedHashMap<>(config);
        for (String f : writeOnly) {
            if (!full.containsKey(f) && kept.containsKey("config." + f)) {
                full.put(f, kept.get("config." + f));
            }
        }
        List<String> problems = JsonSchemas.validate(d.configSchema(), full);
        if (!problems.isEmpty()) {
            String first = problems.getFirst();
            throw new ApiProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "CONFIG_INVALID",
                    "config: " + String.join("; ", problems),
                    Map.of("field", "config" + fieldOf(first), "errors", problems));
        }
        full.forEach((k, v) -> {
            if (writeOnly.contains(k)) {
                secretValues.put("config." + k, String.valueOf(v));
            } else {
                plainConfig.put(k, v);
            }
        });
        ConnectionAuth.Split auth = auth(body.get("auth"), d, kept);
        try {
            Guard.of("validation", limits);
        } catch (FieldException e) {
            throw field(e.field, e.code(), e.getMessage());
        } catch (ConnectorException e) {
            throw field("limits", e.code(), e.getMessage());
        }
        secretValues.putAll(auth.secrets());
        return new Proposal(id, n, connector, plainConfig, auth.plain(), limits, secretValues);
    }

    /**
     * Checks what a new connection states besides its config (connector, name, auth), as {@link
     * #propose} does; the web UI's wizard asks for these before the configuration.
     */
    void checkIdentity(String id, Map<String, Object> body) {
        Connector connector = connector(body);
        name(body, id);
        auth(body.get("auth"), connector.describe(), Map.of());
    }

    private Connector connector(Map<String, Object> body) {
        if (!(body.get("connector") instanceof String connectorId)) {
            throw field(
                    "connector",
                    "CONNECTION_INVALID",
                    "'connector' is required: the id of a connector from GET /api/v1/connectors");
        }
        return registry.find(connectorId)
                .orElseThrow(() -> field(
                        "connector",
                        "CONNECTOR_NOT_FOUND",
                        "there is no connector '%s'; GET /api/v1/connectors lists them".formatted(connectorId)));
    }

    private static String name(Map<String, Object> body, String id) {
        Object name = body.getOrDefault("name", id);
        if (!(name instanceof String n) || n.isBlank() || n.length() > 200) {
            throw field("name", "CONNECTION_INVALID", "'name' must be text of 1 to 200 characters");
        }
        return n;
    }

    private static ConnectionAuth.Split auth(Object authValue, ConnectorDescriptor d, Map<String, String> kept) {
        if (authValue != null && !(authValue instanceof Map<?, ?>)) {
            throw field(
                    "auth",
                    "AUTH_INVALID",
                    "'auth' must be an object such as {\"type\": \"bearer\", \"token\": \"...\"}");
        }
        try {
            return ConnectionAuth.split((Map<?, ?>) authValue, d.authTypes(), kept);
        } catch (FieldException e) {
            throw field(e.field, e.code(), e.getMessage());
        } catch (ConnectorException e) {
            throw field("auth.type", e.code(), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> writeOnlyFields(Map<String, Object> schema) {
        if (!(schema.get("properties") instanceof Map<?, ?> props)) {
            return List.of();
        }
        return props.entrySet().stream()
                .filter(e -> e.getValue() instanceof Map<?, ?> p && Boolean.TRUE.equals(p.get("writeOnly")))
                .map(e -> String.valueOf(e.getKey()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw field(field, "CONNECTION_INVALID", "'%s' must be an object".formatted(field));
        }
        return (Map<String, Object>) m;
    }

    /** "/baseUrl: ..." → ".baseUrl" (the first problem's field, as a path below config). */
    private static String fieldOf(String problem) {
        if (problem.startsWith("$")) {
            problem = problem.substring(1);
        }
        if (problem.startsWith("/") || problem.startsWith(".")) {
            int end = problem.indexOf(':');
            String path = end > 0 ? problem.substring(0, end) : problem;
            return path.replace('/', '.').strip();
        }
        return "";
    }

    static ApiProblem field(String field, String code, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, code, message, Map.of("field", field));
    }
}
