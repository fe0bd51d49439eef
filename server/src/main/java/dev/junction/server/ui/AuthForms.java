package dev.junction.server.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of each connection auth type as a JSON Schema, so the wizard shows them with {@link
 * SchemaForm} (prefix {@code auth.<type>}). The secrets ({@code writeOnly}) are the fields the API
 * sends to the vault: password, value, token, clientSecret, privateKey, certificate. The API's own
 * validation of auth still decides; these schemas only shape the form.
 */
final class AuthForms {
    private static final Map<String, Object> SECRET = Map.of("type", "string", "writeOnly", true);
    private static final Map<String, Object> PEM = Map.of(
            "type",
            "string",
            "writeOnly",
            true,
            "contentMediaType",
            "application/x-pem-file",
            "description",
            "PEM text, -----BEGIN ...-----");
    private static final Map<String, Object> CLIENT_AUTH = Map.of(
            "type",
            "string",
            "enum",
            List.of("basic", "post"),
            "title",
            "Client authentication",
            "description",
            "How the client id and secret reach the token endpoint (basic: Authorization header)");

    private static final Map<String, Type> TYPES = types();

    private AuthForms() {}

    /** One auth type: its API name, what the wizard calls it, and its fields. */
    record Type(String id, String label, SchemaForm form) {}

    /** The auth type {@code id}; an unknown one has no fields. */
    static Type type(String id) {
        Type t = TYPES.get(id);
        return t != null ? t : new Type(id, id, SchemaForm.of(Map.of(), "auth." + id));
    }

    private static Map<String, Type> types() {
        Map<String, Type> out = new LinkedHashMap<>();
        add(out, "none", "No authentication", Map.of(), List.of());
        add(
                out,
                "basic",
                "Basic (user name and password)",
                props("username", Map.of("type", "string", "title", "User name"), "password", SECRET),
                List.of("username", "password"));
        add(
                out,
                "apiKey",
                "API key",
                props(
                        "in",
                        Map.of(
                                "type",
                                "string",
                                "enum",
                                List.of("header", "query"),
                                "default",
                                "header",
                                "title",
                                "Send the key in"),
                        "name",
                        Map.of(
                                "type",
                                "string",
                                "title",
                                "Header or parameter name",
                                "description",
                                "Such as X-API-Key"),
                        "value",
                        Map.of("type", "string", "writeOnly", true, "title", "Key (secret)")),
                List.of("in", "name", "value"));
        add(out, "bearer", "Bearer token", props("token", SECRET), List.of("token"));
        add(
                out,
                "oauth2ClientCredentials",
                "OAuth 2.0 client credentials",
                props(
                        "tokenUrl", url("The provider's token endpoint"),
                        "clientId", Map.of("type", "string"),
                        "clientSecret", SECRET,
                        "scope", Map.of("type", "string", "description", "Space-separated scopes"),
                        "audience", Map.of("type", "string"),
                        "clientAuth", CLIENT_AUTH),
                List.of("tokenUrl", "clientId", "clientSecret"));
        add(
                out,
                "oauth2AuthorizationCode",
                "OAuth 2.0 authorization code (sign in at the provider)",
                props(
                        "authorizeUrl", url("Where the browser signs in and approves"),
                        "tokenUrl", url("The provider's token endpoint"),
                        "clientId", Map.of("type", "string"),
                        "clientSecret", SECRET,
                        "scope", Map.of("type", "string", "description", "Space-separated scopes"),
                        "clientAuth", CLIENT_AUTH),
                List.of("authorizeUrl", "tokenUrl", "clientId"));
        add(
                out,
                "mtls",
                "Mutual TLS (client certificate)",
                props(
                        "certificate",
                        PEM,
                        "privateKey",
                        PEM,
                        "caCertificate",
                        Map.of(
                                "type",
                                "string",
                                "contentMediaType",
                                "application/x-pem-file",
                                "title",
                                "CA certificate")),
                List.of("certificate", "privateKey"));
        return java.util.Collections.unmodifiableMap(out);
    }

    private static void add(
            Map<String, Type> out, String id, String label, Map<String, Object> props, List<String> required) {
        Map<String, Object> schema = Map.of("type", "object", "properties", props, "required", required);
        out.put(id, new Type(id, label, SchemaForm.of(schema, "auth." + id)));
    }

    private static Map<String, Object> url(String description) {
        return Map.of("type", "string", "format", "uri", "description", description);
    }

    private static Map<String, Object> props(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
