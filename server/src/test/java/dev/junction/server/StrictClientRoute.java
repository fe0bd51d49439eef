package dev.junction.server;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;

/**
 * (A copy of the auth module's test route.) mock-oauth2-server accepts any client secret, so this route adds a token endpoint at {@link #PATH}
 * that checks HTTP Basic client credentials the way real providers do: the wrong secret is a 401
 * {@code invalid_client} whose description quotes what was sent (as careless providers do).
 */
final class StrictClientRoute implements Route {
    static final String PATH = "/strict/oauth2/v2/access";

    private final String clientId;
    private final String secret;

    StrictClientRoute(String clientId, String secret) {
        this.clientId = clientId;
        this.secret = secret;
    }

    @Override
    public boolean match(OAuth2HttpRequest request) {
        return request.getUrl().encodedPath().equals(PATH);
    }

    @Override
    public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
        String header = request.getHeaders().get("Authorization");
        String sent = header == null || !header.startsWith("Basic ")
                ? ""
                : new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        Headers json = Headers.of("Content-Type", "application/json");
        if (sent.equals(clientId + ":" + secret)) {
            return new OAuth2HttpResponse(
                    json, 200, "{\"access_token\":\"strict-token\",\"token_type\":\"Bearer\",\"expires_in\":60}", null);
        }
        String given = sent.contains(":") ? sent.substring(sent.indexOf(':') + 1) : "";
        return new OAuth2HttpResponse(
                json,
                401,
                "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client secret " + given + "\"}",
                null);
    }
}
