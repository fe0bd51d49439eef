package dev.junction.server.connection;

import dev.junction.connector.auth.Pkce;
import dev.junction.connector.auth.Tokens;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.JdbcConnections;
import dev.junction.store.JdbcOAuthStates;
import dev.junction.store.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * The OAuth 2.0 authorization-code flow with PKCE for {@code oauth2AuthorizationCode} connections.
 * {@link #authorize} starts an attempt: a random state (single use, bound to workspace and
 * connection, expiring after {@link #STATE_TTL}) and a code verifier kept in the database, never
 * sent anywhere but the token endpoint. {@link #callback} answers the provider's redirect to
 * {@code <public URL>/oauth/callback}: checks the state, exchanges the code, stores the tokens in
 * the vault and activates the connection when its test passes.
 */
@Service
public class OAuthFlows {
    static final Duration STATE_TTL = Duration.ofMinutes(10);

    private final JdbcConnections store;
    private final JdbcOAuthStates states;
    private final Vault vault;
    private final ConnectionService connections;
    private final ConnectionClients clients;
    private final JunctionSettings settings;
    private final Environment env;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    OAuthFlows(
            JdbcConnections store,
            JdbcOAuthStates states,
            Vault vault,
            ConnectionService connections,
            ConnectionClients clients,
            JunctionSettings settings,
            Environment env,
            Clock clock) {
        this.store = store;
        this.states = states;
        this.vault = vault;
        this.connections = connections;
        this.clients = clients;
        this.settings = settings;
        this.env = env;
        this.clock = clock;
    }

    /** {@code {authorizeUrl, state, redirectUri, expiresAt}}: where to send the user's browser. */
    public Map<String, Object> authorize(String ws, String id) {
        return authorize(ws, id, null);
    }

    /**
     * As {@link #authorize(String, String)}, and the provider's redirect then sends the browser on
     * to {@code returnTo}, a page of the web UI ({@code /ui/...}; anything else is refused, so the
     * callback cannot be made to send a user to another site), with {@code ?oauth=ok} or
     * {@code ?oauth=<error code>}.
     */
    public Map<String, Object> authorize(String ws, String id, String returnTo) {
        if (returnTo != null && !safeReturn(returnTo)) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "OAUTH_RETURN_INVALID",
                    "the return path must be a page of the web UI (/ui/...), was '%s'".formatted(returnTo));
        }
        JdbcConnections.Row row = require(ws, id);
        Map<String, Object> auth = row.auth();
        if (!ConnectionAuth.AUTHORIZATION_CODE.equals(auth.get("type"))) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "OAUTH_NOT_APPLICABLE",
                    "connection '%s' uses auth type '%s'; only %s connections are authorized in the browser"
                            .formatted(id, auth.get("type"), ConnectionAuth.AUTHORIZATION_CODE));
        }
        Instant now = clock.instant();
        states.purgeExpired(ws, now);
        Pkce pkce = Pkce.create(random);
        String redirect = redirectUri();
        Instant expires = now.plus(STATE_TTL);
        states.insert(
                new JdbcOAuthStates.Pending(hash(pkce.state()), ws, id, pkce.verifier(), redirect, expires, returnTo));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "authorizeUrl",
                pkce.authorizeUrl((String) auth.get("authorizeUrl"), (String) auth.get("clientId"), redirect, (String)
                        auth.get("scope")));
        out.put("state", pkce.state());
        out.put("redirectUri", redirect);
        out.put("expiresAt", expires.toString());
        return out;
    }

    /**
     * The provider's redirect. A missing, unknown, expired or reused state is a 400
     * {@code OAUTH_STATE_INVALID}; the provider's own {@code error} is a 400
     * {@code OAUTH_AUTHORIZATION_REFUSED} quoting it; a refused code exchange is a 422 with the
     * token endpoint's code; a failed test a 422 {@code CONNECTION_TEST_FAILED} (the tokens are
     * kept, the status is not changed).
     */
    public Map<String, Object> callback(String code, String state, String error, String errorDescription) {
        return complete(take(state), code, error, errorDescription);
    }

    /**
     * Takes the pending authorization of {@code state} (single use); a missing, unknown, expired or
     * reused state is a 400 {@code OAUTH_STATE_INVALID}.
     */
    public JdbcOAuthStates.Pending take(String state) {
        if (state == null || state.isBlank()) {
            throw stateInvalid("the redirect carries no state");
        }
        return states.take(hash(state), clock.instant())
                .orElseThrow(() -> stateInvalid("the state is unknown, expired or already used"));
    }

    /** The rest of {@link #callback} once the state was taken. */
    public Map<String, Object> complete(
            JdbcOAuthStates.Pending pending, String code, String error, String errorDescription) {
        if (error != null) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "OAUTH_AUTHORIZATION_REFUSED",
                    "the provider refused the authorization of connection '%s': %s%s"
                            .formatted(
                                    pending.connectionId(),
                                    error,
                                    errorDescription == null ? "" : ": " + errorDescription));
        }
        if (code == null || code.isBlank()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "OAUTH_CODE_MISSING",
                    "the redirect carries neither 'code' nor 'error'; start again with POST"
                            + " /api/v1/connections/%s/oauth/authorize".formatted(pending.connectionId()));
        }
        String ws = pending.workspaceId();
        String id = pending.connectionId();
        JdbcConnections.Row row = require(ws, id);
        if (!ConnectionAuth.AUTHORIZATION_CODE.equals(row.auth().get("type"))) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "OAUTH_NOT_APPLICABLE",
                    "connection '%s' no longer uses %s".formatted(id, ConnectionAuth.AUTHORIZATION_CODE));
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", pending.redirectUri());
        form.put("code_verifier", pending.codeVerifier());
        Tokens tokens;
        try {
            tokens = clients.tokenEndpoint(row.auth(), vault.all(ws, ConnectionService.owner(id)))
                    .request(form);
        } catch (ConnectorException e) {
            throw new ApiProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    e.code(),
                    "exchanging the authorization code of connection '%s' failed: %s".formatted(id, e.getMessage()));
        }
        TokenVault.write(vault, ws, id, tokens);
        Map<String, Object> view = connections.activate(ws, id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connection", id);
        out.put("status", view.get("status"));
        out.put("message", "connection '%s' is authorized and active; you may close this page".formatted(id));
        return out;
    }

    /** A path of the web UI, and nothing that a browser could read as another site. */
    static boolean safeReturn(String path) {
        return path.startsWith("/ui/")
                && !path.contains("//")
                && !path.contains("\\")
                && !path.contains("..")
                && path.chars().noneMatch(ch -> Character.isISOControl(ch) || Character.isWhitespace(ch));
    }

    private String redirectUri() {
        String base = settings.publicUrl() != null
                ? settings.publicUrl()
                : "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        return base + "/oauth/callback";
    }

    private JdbcConnections.Row require(String ws, String id) {
        return store.find(ws, id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND,
                        "CONNECTION_NOT_FOUND",
                        "there is no connection '%s' in this workspace".formatted(id)));
    }

    private static ApiProblem stateInvalid(String why) {
        return new ApiProblem(
                HttpStatus.BAD_REQUEST,
                "OAUTH_STATE_INVALID",
                why + "; start the authorization again with POST /api/v1/connections/{id}/oauth/authorize");
    }

    private static String hash(String state) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
