package dev.junction.server.connection;

import dev.junction.connector.auth.ClientAuth;
import dev.junction.connector.auth.ClientTls;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.HttpAuthorizer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A connection's authentication: {@code {type, ...fields}}, validated. Secret fields (password,
 * value, token, clientSecret, privateKey, certificate) are split off into the vault; the rest is
 * stored as is. Types: {@code none}, {@code basic}, {@code apiKey}, {@code bearer},
 * {@code oauth2ClientCredentials}, {@code oauth2AuthorizationCode} and {@code mtls}; the
 * authorizers that apply them are built by {@link ConnectionClients}. The tokens an authorization
 * produced live in the vault as {@code oauth.*} and are kept while the type stays
 * {@code oauth2AuthorizationCode}.
 */
final class ConnectionAuth {
    static final Set<String> SECRET_FIELDS =
            Set.of("password", "value", "token", "clientSecret", "privateKey", "certificate");
    static final String AUTHORIZATION_CODE = "oauth2AuthorizationCode";
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "none",
            List.of(),
            "basic",
            List.of("username", "password"),
            "apiKey",
            List.of("in", "name", "value"),
            "bearer",
            List.of("token"),
            "oauth2ClientCredentials",
            List.of("tokenUrl", "clientId", "clientSecret"),
            AUTHORIZATION_CODE,
            List.of("authorizeUrl", "tokenUrl", "clientId"),
            "mtls",
            List.of("certificate", "privateKey"));
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "none",
            Set.of("type"),
            "basic",
            Set.of("type", "username", "password"),
            "apiKey",
            Set.of("type", "in", "name", "value"),
            "bearer",
            Set.of("type", "token"),
            "oauth2ClientCredentials",
            Set.of("type", "tokenUrl", "clientId", "clientSecret", "scope", "audience", "clientAuth"),
            AUTHORIZATION_CODE,
            Set.of("type", "authorizeUrl", "tokenUrl", "clientId", "clientSecret", "scope", "clientAuth"),
            "mtls",
            Set.of("type", "certificate", "privateKey", "caCertificate"));

    private ConnectionAuth() {}

    /** The auth object split into what is stored in clear and what goes to the vault. */
    record Split(Map<String, Object> plain, Map<String, String> secrets) {}

    /**
     * Validates {@code auth} (null means {@code none}) against the connector's auth types;
     * {@code keptSecrets} are the connection's stored secrets, used when a secret field is omitted.
     */
    static Split split(Map<?, ?> auth, List<String> connectorTypes, Map<String, String> keptSecrets)
            throws ConnectorException {
        Map<String, Object> plain = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        String type = auth == null ? "none" : String.valueOf(auth.get("type"));
        if (auth != null && auth.get("type") == null) {
            throw invalid("auth.type", "auth.type: required; one of " + connectorTypes);
        }
        if (!connectorTypes.contains(type)) {
            throw invalid(
                    "auth.type",
                    "auth.type: '%s' is not supported by this connector; one of %s".formatted(type, connectorTypes));
        }
        if (!REQUIRED.containsKey(type)) {
            throw invalid("auth.type", "auth.type: '%s' is unknown; one of %s".formatted(type, REQUIRED.keySet()));
        }
        plain.put("type", type);
        Set<String> removed = new HashSet<>();
        if (auth != null) {
            for (var e : auth.entrySet()) {
                String field = String.valueOf(e.getKey());
                if (!ALLOWED.get(type).contains(field)) {
                    throw invalid(
                            "auth." + field,
                            "auth.%s: unknown field for auth type %s; expected %s"
                                    .formatted(field, type, ALLOWED.get(type)));
                }
                if (field.equals("type")) {
                    continue;
                }
                if (e.getValue() == null && SECRET_FIELDS.contains(field)) {
                    removed.add(field); // an explicit null clears an optional stored secret
                    continue;
                }
                if (!(e.getValue() instanceof String text) || text.isEmpty()) {
                    throw invalid("auth." + field, "auth.%s: must be non-empty text".formatted(field));
                }
                if (SECRET_FIELDS.contains(field)) {
                    secrets.put("auth." + field, text);
                } else {
                    plain.put(field, text);
                }
            }
        }
        for (String field : ALLOWED.get(type)) {
            // an omitted secret keeps its stored value, optional ones (clientSecret of the
            // authorization code) included
            String key = "auth." + field;
            if (SECRET_FIELDS.contains(field)
                    && !secrets.containsKey(key)
                    && !removed.contains(field)
                    && keptSecrets.containsKey(key)) {
                secrets.put(key, keptSecrets.get(key));
            }
        }
        for (String field : REQUIRED.get(type)) {
            boolean secret = SECRET_FIELDS.contains(field);
            if (secret ? !secrets.containsKey("auth." + field) : !plain.containsKey(field)) {
                throw invalid("auth." + field, "auth.%s: required for auth type %s".formatted(field, type));
            }
        }
        if (type.equals("apiKey") && !List.of("header", "query").contains(plain.get("in"))) {
            throw invalid("auth.in", "auth.in: must be 'header' or 'query'");
        }
        for (String f : List.of("tokenUrl", "authorizeUrl")) {
            if (plain.get(f) instanceof String url && !httpUrl(url)) {
                throw invalid(
                        "auth." + f, "auth.%s: must be an absolute http or https URL, was '%s'".formatted(f, url));
            }
        }
        if (plain.get("clientAuth") instanceof String clientAuth) {
            try {
                ClientAuth.parse(clientAuth);
            } catch (IllegalArgumentException e) {
                throw invalid("auth.clientAuth", "auth.clientAuth: " + e.getMessage());
            }
        }
        if (type.equals("mtls")) {
            try {
                ClientTls.context(secrets.get("auth.certificate"), secrets.get("auth.privateKey"), (String)
                        plain.get("caCertificate"));
            } catch (ClientTls.InvalidPem e) {
                throw invalid("auth." + e.field(), "auth." + e.getMessage());
            }
        }
        if (type.equals(AUTHORIZATION_CODE)) {
            keptSecrets.forEach((k, v) -> {
                if (k.startsWith(TokenVault.PREFIX)) {
                    secrets.put(k, v);
                }
            });
        }
        return new Split(plain, secrets);
    }

    /** The authorizer for the static types (none, basic, apiKey, bearer); others are not handled here. */
    static HttpAuthorizer staticAuthorizer(Map<String, Object> plain, Map<String, String> secrets) {
        String type = String.valueOf(plain.getOrDefault("type", "none"));
        return switch (type) {
            case "basic" -> {
                String token = Base64.getEncoder()
                        .encodeToString((plain.get("username") + ":" + secrets.get("auth.password"))
                                .getBytes(StandardCharsets.UTF_8));
                yield r -> r.withHeader("Authorization", "Basic " + token);
            }
            case "bearer" -> r -> r.withHeader("Authorization", "Bearer " + secrets.get("auth.token"));
            case "apiKey" -> {
                String name = String.valueOf(plain.get("name"));
                String value = secrets.get("auth.value");
                yield "query".equals(plain.get("in")) ? r -> r.withQuery(name, value) : r -> r.withHeader(name, value);
            }
            default -> HttpAuthorizer.NONE;
        };
    }

    /** The names of the secret fields that are set, for views ({@code ["password"]}). */
    static List<String> secretNames(Map<String, String> secrets, String prefix) {
        List<String> out = new ArrayList<>();
        secrets.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .sorted()
                .forEach(k -> out.add(k.substring(prefix.length())));
        return out;
    }

    private static boolean httpUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() != null && List.of("http", "https").contains(String.valueOf(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static ConnectorException invalid(String field, String message) {
        return new FieldException("AUTH_INVALID", field, message);
    }

    /** A validation failure that names its field. */
    static final class FieldException extends ConnectorException {
        final String field;

        FieldException(String code, String field, String message) {
            super(code, message, false);
            this.field = field;
        }
    }
}
