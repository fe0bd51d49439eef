package dev.junction.connector.auth;

import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.HttpAuthorizer;
import dev.junction.engine.connector.OutboundHttp;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * OAuth 2.0 authorization code (RFC 6749 §4.1, with PKCE at authorization time): signs requests
 * with the access token a user's authorization produced, and renews it with the refresh token
 * shortly before it expires, handing new tokens to the {@link TokenSink}. When the provider refuses
 * the refresh ({@code invalid_grant}) and no other session stored newer tokens meanwhile, or there
 * is no refresh token, the sink hears of it once and every request fails with {@code NEEDS_REAUTH}
 * until a new authorization is stored. Thread-safe: one refresh at a time.
 */
public final class AuthorizationCodeAuthorizer implements HttpAuthorizer {
    private final TokenEndpoint endpoint;
    private final TokenSink sink;
    private final Clock clock;
    private Tokens tokens; // guarded by this; null before the first authorization
    private String refused; // guarded by this; why the grant is dead

    /** {@code tokens} null means the connection was never authorized. */
    public AuthorizationCodeAuthorizer(TokenEndpoint endpoint, Tokens tokens, TokenSink sink, Clock clock) {
        this.endpoint = endpoint;
        this.tokens = tokens;
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public OutboundHttp.Request authorize(OutboundHttp.Request request) throws ConnectorException {
        return request.withHeader("Authorization", "Bearer " + token());
    }

    private synchronized String token() throws ConnectorException {
        if (refused != null) {
            if (!replacedByStored()) {
                throw needsReauth(refused);
            }
            refused = null; // authorized again, through another session
        }
        if (tokens == null && !replacedByStored()) {
            throw needsReauth("the connection has not been authorized yet");
        }
        if (tokens.usableAt(clock.instant())) {
            return tokens.accessToken();
        }
        if (tokens.refreshToken() == null) {
            return dead("the access token expired and the provider gave no refresh token");
        }
        try {
            return renew();
        } catch (TokenRefusedException e) {
            if (!e.grantInvalid()) {
                throw e;
            }
            // a rotated refresh token another session stored meanwhile is worth one more try
            if (replacedByStored()) {
                return tokens.usableAt(clock.instant()) ? tokens.accessToken() : renewOrDie();
            }
            return dead("the provider refused to refresh the access token: " + e.getMessage());
        }
    }

    private String renewOrDie() throws ConnectorException {
        try {
            return renew();
        } catch (TokenRefusedException e) {
            if (!e.grantInvalid()) {
                throw e;
            }
            return dead("the provider refused to refresh the access token: " + e.getMessage());
        }
    }

    private String renew() throws ConnectorException {
        Tokens renewed =
                endpoint.request(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refreshToken()));
        // providers that do not rotate refresh tokens omit them from the refresh answer
        tokens = renewed.refreshToken() == null
                ? new Tokens(renewed.accessToken(), tokens.refreshToken(), renewed.expiresAt(), renewed.renewAt())
                : renewed;
        sink.renewed(tokens);
        return tokens.accessToken();
    }

    /** Adopts the stored tokens when they are not the ones this authorizer holds. */
    private boolean replacedByStored() throws ConnectorException {
        Tokens stored = sink.stored();
        if (stored == null
                || tokens != null
                        && stored.accessToken().equals(tokens.accessToken())
                        && Objects.equals(stored.refreshToken(), tokens.refreshToken())) {
            return false;
        }
        tokens = stored;
        return true;
    }

    private String dead(String reason) throws ConnectorException {
        refused = reason;
        sink.refused(reason);
        throw needsReauth(reason);
    }

    @Override
    public synchronized boolean unauthorized() {
        if (tokens == null || refused != null || tokens.refreshToken() == null || !tokens.usableAt(clock.instant())) {
            return false;
        }
        tokens = tokens.dueNow(clock.instant());
        return true;
    }

    private static ConnectorException needsReauth(String reason) {
        return new ConnectorException(
                "NEEDS_REAUTH",
                reason + "; authorize the connection again (POST /api/v1/connections/{id}/oauth/authorize)",
                false);
    }
}
