package dev.junction.server.connection;

import dev.junction.connector.auth.AuthorizationCodeAuthorizer;
import dev.junction.connector.auth.ClientAuth;
import dev.junction.connector.auth.ClientCredentialsAuthorizer;
import dev.junction.connector.auth.ClientTls;
import dev.junction.connector.auth.TokenEndpoint;
import dev.junction.connector.auth.TokenSink;
import dev.junction.connector.auth.Tokens;
import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.HttpAuthorizer;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.HttpTransport;
import dev.junction.server.api.ApiProblem;
import dev.junction.store.JdbcConnections;
import dev.junction.store.vault.Vault;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Opens a connection's session: its own {@link OutboundHttp} (base URL, authentication, and for
 * {@code mtls} its own {@link HttpTransport} with the client certificate) and the connector's session
 * on top. Token requests go through the platform client, so the outbound address policy applies to
 * them too. Authorization-code tokens renewed at run time are written back to the vault; a refused
 * renewal marks the connection {@code needs_reauth}.
 */
@Component
class ConnectionClients {
    /** The first {@code config.<field>} a connector's CONFIG_INVALID message names. */
    private static final Pattern CONFIG_FIELD = Pattern.compile("config\\.[A-Za-z0-9_]+");

    private final ConnectorRegistry registry;
    private final HttpCaller http;
    private final JdbcConnections store;
    private final Vault vault;
    private final Clock clock;

    ConnectionClients(ConnectorRegistry registry, HttpCaller http, JdbcConnections store, Vault vault, Clock clock) {
        this.registry = registry;
        this.http = http;
        this.store = store;
        this.vault = vault;
        this.clock = clock;
    }

    /** An open session with the client it uses; closing closes both. */
    record Opened(ConnectorSession session, OutboundHttp client, HttpTransport own) implements AutoCloseable {
        @Override
        public void close() {
            session.close();
            if (own != null) {
                own.close(); // requests in flight finish; no new ones start
            }
        }
    }

    Opened open(String ws, JdbcConnections.Row row, Map<String, String> stored) throws ConnectorException {
        Map<String, String> configSecrets = new LinkedHashMap<>();
        stored.forEach((k, v) -> {
            if (k.startsWith("config.")) {
                configSecrets.put(k.substring("config.".length()), v);
            }
        });
        HttpTransport own = ownClient(row, stored);
        Object base = row.config().get("baseUrl");
        OutboundHttp client = http.forConnection(own, base instanceof String s ? s : null, authorizer(ws, row, stored));
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                return client;
            }

            @Override
            public AddressPolicy addresses() {
                return http.addresses();
            }

            @Override
            public Clock clock() {
                return clock;
            }
        };
        try {
            ConnectorSession session = connector(row.connector())
                    .open(
                            new ConnectionConfig(ws, row.id(), new LinkedHashMap<>(row.config()), configSecrets),
                            context);
            return new Opened(session, client, own);
        } catch (ConnectorException | RuntimeException e) {
            if (own != null) {
                own.close();
            }
            throw e;
        }
    }

    /** "Test connection" on {@code row} with {@code stored} secrets; failures are results, not exceptions. */
    TestResult test(String ws, JdbcConnections.Row row, Map<String, String> stored) {
        long t0 = System.nanoTime();
        try (Opened o = open(ws, row, stored)) {
            return o.session().test();
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        } catch (RuntimeException e) {
            return TestResult.failed(
                    Duration.ofNanos(System.nanoTime() - t0),
                    "CONNECTOR_FAILED",
                    "the connector failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Opens (and closes) a session on a proposed configuration: connectors refuse configurations
     * they cannot use in {@code open}, without slow network calls (a malformed OpenAPI document,
     * say), so such a configuration is a 422 naming its field even when nothing is activated. Other
     * failures are left to "test connection".
     */
    void checkOpens(String ws, JdbcConnections.Row draft, Map<String, String> secrets) {
        try {
            open(ws, draft, secrets).close();
        } catch (ConnectorException e) {
            if ("CONFIG_INVALID".equals(e.code())) {
                Matcher field = CONFIG_FIELD.matcher(e.getMessage());
                throw new ApiProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "CONFIG_INVALID",
                        e.getMessage(),
                        Map.of("field", field.find() ? field.group() : "config"));
            }
        } catch (RuntimeException e) {
            // a connector failing in open() is reported by "test connection", as before this check
        }
    }

    Connector connector(String id) {
        return registry.find(id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "CONNECTOR_NOT_FOUND",
                        "the connector '%s' of this connection is not installed".formatted(id)));
    }

    /** The token endpoint of an OAuth 2.0 auth object, reached through the platform client. */
    TokenEndpoint tokenEndpoint(Map<String, Object> auth, Map<String, String> stored) {
        return new TokenEndpoint(
                http,
                (String) auth.get("tokenUrl"),
                (String) auth.get("clientId"),
                stored.get("auth.clientSecret"),
                ClientAuth.parse((String) auth.get("clientAuth")),
                clock);
    }

    private HttpAuthorizer authorizer(String ws, JdbcConnections.Row row, Map<String, String> stored) {
        Map<String, Object> auth = row.auth();
        return switch (String.valueOf(auth.getOrDefault("type", "none"))) {
            case "oauth2ClientCredentials" ->
                new ClientCredentialsAuthorizer(
                        tokenEndpoint(auth, stored), (String) auth.get("scope"), (String) auth.get("audience"), clock);
            case ConnectionAuth.AUTHORIZATION_CODE ->
                new AuthorizationCodeAuthorizer(
                        tokenEndpoint(auth, stored), TokenVault.read(stored), sink(ws, row.id()), clock);
            default -> ConnectionAuth.staticAuthorizer(auth, stored);
        };
    }

    private TokenSink sink(String ws, String id) {
        return new TokenSink() {
            @Override
            public void renewed(Tokens tokens) {
                TokenVault.write(vault, ws, id, tokens);
            }

            @Override
            public Tokens stored() {
                return TokenVault.read(vault.all(ws, ConnectionService.owner(id)));
            }

            @Override
            public void refused(String reason) {
                store.setStatus(ws, id, "needs_reauth", reason, clock.instant());
            }
        };
    }

    private static HttpTransport ownClient(JdbcConnections.Row row, Map<String, String> stored)
            throws ConnectorException {
        if (!"mtls".equals(row.auth().get("type"))) {
            return null;
        }
        try {
            return HttpTransport.open(
                    ClientTls.context(stored.get("auth.certificate"), stored.get("auth.privateKey"), (String)
                            row.auth().get("caCertificate")));
        } catch (ClientTls.InvalidPem e) {
            throw new ConnectorException("AUTH_INVALID", "auth." + e.getMessage(), false);
        }
    }
}
