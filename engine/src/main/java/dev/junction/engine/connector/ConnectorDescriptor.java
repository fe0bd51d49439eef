package dev.junction.engine.connector;

import java.util.List;
import java.util.Map;

/**
 * What a connector offers: its id (used in connections as {@code connector}), a config JSON Schema
 * (drives validation and the UI form), the auth types its connections may use, its operations with
 * input and output JSON Schemas, and the trigger kinds it supports ({@code poll}, {@code stream}).
 * {@code dynamicOperations} is true when each connection has its own operations (OpenAPI).
 */
public record ConnectorDescriptor(
        String id,
        String name,
        String description,
        Map<String, Object> configSchema,
        List<String> authTypes,
        List<Operation> operations,
        List<String> triggers,
        boolean dynamicOperations) {
    public ConnectorDescriptor {
        configSchema = Map.copyOf(configSchema);
        authTypes = List.copyOf(authTypes);
        operations = List.copyOf(operations);
        triggers = List.copyOf(triggers);
    }

    /**
     * One callable operation. {@code pollable} operations can feed a {@code poll} trigger: they take
     * a {@code cursor} in their input and answer {@code {items: [...], cursor: ...}}.
     */
    public record Operation(
            String name,
            String description,
            Map<String, Object> inputSchema,
            Map<String, Object> outputSchema,
            boolean pollable) {
        public Operation {
            inputSchema = inputSchema == null ? Map.of() : inputSchema;
            outputSchema = outputSchema == null ? Map.of() : outputSchema;
        }
    }

    /** The auth types of ARCHITECTURE.md, by their API names. */
    public static final List<String> HTTP_AUTH_TYPES =
            List.of("none", "basic", "apiKey", "bearer", "oauth2ClientCredentials", "oauth2AuthorizationCode", "mtls");
}
