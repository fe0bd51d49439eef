package dev.junction.connector.auth;

import dev.junction.engine.connector.Bodies;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client of one OAuth 2.0 token endpoint. Requests go through the platform's {@link OutboundHttp}
 * (so the outbound address policy applies) without any connection authentication. Refusals are
 * {@link TokenRefusedException}s quoting the provider; the client secret never appears in a
 * message, even when the provider echoes it. Thread-safe.
 */
public final class TokenEndpoint {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final OutboundHttp http;
    private final String tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final ClientAuth clientAuth;
    private final Clock clock;

    public TokenEndpoint(
            OutboundHttp http,
            String tokenUrl,
            String clientId,
            String clientSecret,
            ClientAuth clientAuth,
            Clock clock) {
        this.http = http;
        this.tokenUrl = tokenUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clientAuth = clientAuth;
        this.clock = clock;
    }

    /** Posts {@code form} (grant_type and its parameters) with the client's credentials. */
    public Tokens request(Map<String, String> form) throws ConnectorException {
        Map<String, String> body = new LinkedHashMap<>(form);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (clientSecret == null || clientAuth == ClientAuth.POST) {
            body.put("client_id", clientId);
            if (clientSecret != null) {
                body.put("client_secret", clientSecret);
            }
        } else {
            // RFC 6749 §2.3.1: both parts form-encoded before base64
            String pair = encode(clientId) + ":" + encode(clientSecret);
            headers.put(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        OutboundHttp.Response r;
        try {
            r = http.send(new OutboundHttp.Request(
                    "POST",
                    tokenUrl,
                    headers,
                    Map.of(),
                    new OutboundHttp.Body(
                            "application/x-www-form-urlencoded",
                            Bodies.form(body).getBytes(StandardCharsets.UTF_8)),
                    TIMEOUT));
        } catch (ConnectorException e) {
            throw new ConnectorException(
                    e.code(),
                    "the token endpoint %s could not be reached: %s".formatted(where(), hide(e.getMessage())),
                    e.retryable(),
                    e.retryAfter(),
                    null,
                    e);
        }
        Object value = parse(r);
        if (r.status() / 100 != 2) {
            String error = value instanceof Map<?, ?> m && m.get("error") instanceof String s ? s : null;
            String description =
                    value instanceof Map<?, ?> m && m.get("error_description") instanceof String s ? s : null;
            String said =
                    error == null ? "no OAuth error code" : error + (description == null ? "" : ": " + description);
            throw new TokenRefusedException(
                    "the token endpoint %s refused the %s request (HTTP %d): %s"
                            .formatted(where(), form.get("grant_type"), r.status(), hide(said)),
                    error,
                    r.status());
        }
        if (!(value instanceof Map<?, ?> m) || !(m.get("access_token") instanceof String access) || access.isEmpty()) {
            throw new ConnectorException(
                    "AUTH_FAILED",
                    "the token endpoint %s answered HTTP %d without an access_token (expected a JSON object"
                                    .formatted(where(), r.status())
                            + " with access_token, token_type, expires_in)",
                    false);
        }
        String refresh = m.get("refresh_token") instanceof String s && !s.isEmpty() ? s : null;
        return Tokens.granted(access, refresh, expiresIn(m.get("expires_in")), clock.instant());
    }

    private static Object parse(OutboundHttp.Response r) {
        String text = r.text().strip();
        if (!text.startsWith("{")) {
            return null;
        }
        try {
            return Json.read(text);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static Duration expiresIn(Object value) {
        long seconds;
        if (value instanceof Number n) {
            seconds = n.longValue();
        } else if (value instanceof String s && s.strip().matches("\\d{1,10}")) {
            seconds = Long.parseLong(s.strip()); // some providers send a string
        } else {
            return null;
        }
        return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }

    private String where() {
        try {
            URI u = URI.create(tokenUrl);
            return u.getScheme() + "://" + u.getAuthority() + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException e) {
            return "'" + tokenUrl + "'";
        }
    }

    private String hide(String text) {
        if (text == null || clientSecret == null || clientSecret.isEmpty()) {
            return text;
        }
        return text.replace(clientSecret, "***");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
