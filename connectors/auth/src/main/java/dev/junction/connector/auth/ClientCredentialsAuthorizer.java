package dev.junction.connector.auth;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.HttpAuthorizer;
import dev.junction.engine.connector.OutboundHttp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): fetches an access token from the token endpoint,
 * keeps it until shortly before it expires ({@link Tokens#MARGIN}) and signs requests with
 * {@code Authorization: Bearer}. After a 401 the cached token is dropped once, so the caller's
 * retry fetches a fresh one. Thread-safe: concurrent callers share one token request.
 */
public final class ClientCredentialsAuthorizer implements HttpAuthorizer {
    private final TokenEndpoint endpoint;
    private final Map<String, String> grant;
    private final Clock clock;
    private Tokens tokens; // guarded by this

    /** {@code scope} and {@code audience} may be null. */
    public ClientCredentialsAuthorizer(TokenEndpoint endpoint, String scope, String audience, Clock clock) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null) {
            form.put("scope", scope);
        }
        if (audience != null) {
            form.put("audience", audience);
        }
        this.endpoint = endpoint;
        this.grant = Map.copyOf(form);
        this.clock = clock;
    }

    @Override
    public OutboundHttp.Request authorize(OutboundHttp.Request request) throws ConnectorException {
        return request.withHeader("Authorization", "Bearer " + token());
    }

    private synchronized String token() throws ConnectorException {
        if (tokens == null || !tokens.usableAt(clock.instant())) {
            tokens = endpoint.request(grant);
        }
        return tokens.accessToken();
    }

    @Override
    public synchronized boolean unauthorized() {
        if (tokens == null) {
            return false;
        }
        tokens = null;
        return true;
    }
}
