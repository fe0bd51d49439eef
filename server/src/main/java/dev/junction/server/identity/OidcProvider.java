package dev.junction.server.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The calls to the OpenID provider: discovery, the code exchange and the JWKS. They use a plain JDK
 * {@link HttpClient}, not the flows' outbound client: the issuer is set by an operator, not by a
 * flow, and is often internal (a Keycloak beside the server), which the outbound address policy
 * would block. Metadata is fetched once and kept; the JWKS is kept and fetched again when a token
 * names a key it does not hold (key rotation). Thread-safe.
 */
final class OidcProvider {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ANSWER = 1024 * 1024;

    /** The provider's metadata this server uses. */
    record Metadata(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri) {}

    /** A failed call to the provider, with what was asked and what came back. */
    static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final OidcSettings settings;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private volatile Metadata metadata;
    private volatile JWKSet jwks;

    OidcProvider(OidcSettings settings) {
        this.settings = settings;
    }

    Metadata metadata() throws Unreachable {
        Metadata m = metadata;
        if (m != null) {
            return m;
        }
        URI uri = URI.create(settings.issuer() + "/.well-known/openid-configuration");
        Map<String, Object> doc = json(get(uri), uri);
        if (!settings.issuer().equals(doc.get("issuer"))) {
            throw new Unreachable(
                    "the provider's discovery document at %s names issuer '%s', expected JUNCTION_OIDC_ISSUER '%s'"
                            .formatted(uri, doc.get("issuer"), settings.issuer()),
                    null);
        }
        m = new Metadata(
                settings.issuer(),
                endpoint(doc, "authorization_endpoint", uri),
                endpoint(doc, "token_endpoint", uri),
                endpoint(doc, "jwks_uri", uri));
        metadata = m;
        return m;
    }

    /** The ID token the token endpoint answers for an authorization code. */
    String exchange(String code, String verifier, String redirectUri) throws Unreachable {
        URI token = metadata().tokenEndpoint();
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        HttpRequest.Builder b = HttpRequest.newBuilder(token)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (settings.clientSecret() != null) {
            String basic = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", settings.clientId());
        }
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> r =
                send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
        Map<String, Object> answer = r.statusCode() == 200 ? json(r.body(), token) : Map.of();
        if (r.statusCode() != 200 || !(answer.get("id_token") instanceof String idToken)) {
            Map<String, Object> error = safeJson(r.body());
            throw new Unreachable(
                    "the token endpoint %s answered %d%s without an ID token"
                            .formatted(
                                    token,
                                    r.statusCode(),
                                    error.get("error") == null ? "" : " (error '" + error.get("error") + "')"),
                    null);
        }
        return idToken;
    }

    /** The provider's keys for Nimbus, fetched again once when a token names a key not held. */
    JWKSource<SecurityContext> keys() {
        return (selector, context) -> {
            JWKSet held = jwks;
            var found = held == null ? java.util.List.<com.nimbusds.jose.jwk.JWK>of() : selector.select(held);
            if (!found.isEmpty()) {
                return found;
            }
            try {
                URI uri = metadata().jwksUri();
                jwks = JWKSet.parse(get(uri));
                return selector.select(jwks);
            } catch (Unreachable | ParseException e) {
                throw new com.nimbusds.jose.KeySourceException(
                        "cannot fetch the provider's JWKS: " + e.getMessage(), e);
            }
        };
    }

    private String get(URI uri) throws Unreachable {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build());
        if (r.statusCode() != 200) {
            throw new Unreachable("GET %s answered %d, expected 200".formatted(uri, r.statusCode()), null);
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest request) throws Unreachable {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.body().length() > MAX_ANSWER) {
                throw new Unreachable(
                        "%s %s answered more than %d characters".formatted(request.method(), request.uri(), MAX_ANSWER),
                        null);
            }
            return r;
        } catch (IOException e) {
            throw new Unreachable("%s %s failed: %s".formatted(request.method(), request.uri(), e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while calling " + request.uri(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body, URI from) throws Unreachable {
        try {
            if (Json.read(body) instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (RuntimeException e) {
            throw new Unreachable("%s answered something that is not JSON".formatted(from), e);
        }
        throw new Unreachable("%s answered JSON that is not an object".formatted(from), null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> safeJson(String body) {
        try {
            return Json.read(body) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static URI endpoint(Map<String, Object> doc, String name, URI from) throws Unreachable {
        if (!(doc.get(name) instanceof String s) || !(s.startsWith("https://") || s.startsWith("http://"))) {
            throw new Unreachable("the discovery document at %s has no '%s' URL".formatted(from, name), null);
        }
        return URI.create(s);
    }
}
