package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.junction.engine.json.Json;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on through the real server against a real OpenID provider (mock-oauth2-server on
 * 127.0.0.1): the browser's redirects are followed by hand (start → provider → callback), the
 * session cookie then reaches the API. Groups map to roles; ID tokens for another audience, with
 * another nonce or expired are refused with 401 {@code SSO_TOKEN_INVALID} and audited.
 */
class OidcSignInTest {
    private static final String CLIENT = "junction-web";
    private static final String SECRET = "oidc-Client-Secret-77";
    private static final HttpClient BROWSER =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static MockOAuth2Server provider;
    private static TestServer server;

    /** When set, the provider's token endpoint answers this ID token once instead of issuing one. */
    private static final AtomicReference<String> foreignIdToken = new AtomicReference<>();

    private static final Route FOREIGN_TOKEN = new Route() {
        @Override
        public boolean match(OAuth2HttpRequest request) {
            return request.getUrl().encodedPath().equals("/idp/token") && foreignIdToken.get() != null;
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            return new OAuth2HttpResponse(
                    Headers.of("Content-Type", "application/json"),
                    200,
                    Json.write(Map.of(
                            "access_token", "at", "token_type", "Bearer", "id_token", foreignIdToken.getAndSet(null))),
                    null);
        }
    };

    @BeforeAll
    static void start() throws Exception {
        provider = new MockOAuth2Server(FOREIGN_TOKEN);
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        server = new TestServer(Map.of(
                "JUNCTION_OIDC_ISSUER",
                provider.issuerUrl("idp").toString(),
                "JUNCTION_OIDC_CLIENT_ID",
                CLIENT,
                "JUNCTION_OIDC_CLIENT_SECRET",
                SECRET,
                "JUNCTION_OIDC_DEFAULT_ROLE",
                "viewer",
                "JUNCTION_OIDC_ROLE_MAP",
                "junction-admins=admin,ops=operator"));
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.shutdown();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        // the server names itself localhost in its redirect URI; it listens on 127.0.0.1
        return BROWSER.send(
                HttpRequest.newBuilder(URI.create(url.replace("//localhost:", "//127.0.0.1:")))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** start → provider → callback with the next token the provider issues; the callback's answer. */
    private static HttpResponse<String> signIn(
            String subject, List<String> audience, Map<String, Object> claims, long expiry, String nonce)
            throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("idp", subject, "JWT", audience, claims, expiry));
        var start = get(server.baseUrl() + "/auth/oidc/start?workspace=default");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize)
                .startsWith(provider.authorizationEndpointUrl("idp").toString())
                .contains("code_challenge_method=S256")
                .contains("nonce=")
                .contains("state=")
                .doesNotContain(SECRET);
        if (nonce != null) {
            authorize =
                    authorize.replaceAll("nonce=[^&]+", "nonce=" + URLEncoder.encode(nonce, StandardCharsets.UTF_8));
        }
        var atProvider = get(authorize);
        assertThat(atProvider.statusCode()).as(atProvider.body()).isEqualTo(302);
        String callback = atProvider.headers().firstValue("Location").orElseThrow();
        assertThat(callback).contains("/auth/oidc/callback?").contains("code=");
        return get(callback);
    }

    private static HttpResponse<String> me(HttpResponse<String> callback) throws Exception {
        String cookie = SignedIn.cookie(callback, "junction_session");
        assertThat(cookie).as(callback.headers().map().toString()).isNotBlank();
        return new SignedIn(server.baseUrl(), cookie, SignedIn.cookie(callback, "junction_csrf"), callback)
                .send("GET", "/api/v1/me", null, null);
    }

    private static String audit() throws Exception {
        return server.api("GET", "/api/v1/audit?action=/auth/oidc/callback&limit=1000", null, null)
                .body();
    }

    @Test
    void signsInEndToEndAndProvisionsTheUserWithTheMappedRole() throws Exception {
        var callback = signIn(
                "alice-sub",
                List.of(CLIENT),
                Map.of(
                        "preferred_username",
                        "alice",
                        "name",
                        "Alice A.",
                        "groups",
                        List.of("staff", "junction-admins")),
                3600,
                null);
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
        assertThat(callback.headers().firstValue("Location")).hasValue("/");
        var me = me(callback);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(TestServer.json(me))
                .containsEntry("login", "alice")
                .containsEntry("displayName", "Alice A.")
                .containsEntry("role", "admin")
                .containsEntry("sso", true);
        String id = String.valueOf(TestServer.json(me).get("id"));

        // the second sign-in finds the same user; the groups decide the role again
        var again = signIn(
                "alice-sub",
                List.of(CLIENT),
                Map.of("preferred_username", "alice", "groups", List.of("ops")),
                3600,
                null);
        var me2 = me(again);
        assertThat(TestServer.json(me2)).containsEntry("id", id).containsEntry("role", "operator");
        assertThat(audit()).contains("user:" + id).contains("\"status\":200");
    }

    @Test
    void usersWithoutAMappedGroupGetTheDefaultRole() throws Exception {
        var callback = signIn("bob-sub", List.of(CLIENT), Map.of("email", "bob@example.com"), 3600, null);
        assertThat(TestServer.json(me(callback)))
                .containsEntry("login", "bob@example.com")
                .containsEntry("role", "viewer");
    }

    @Test
    void refusesATokenForAnotherAudience() throws Exception {
        // the provider always issues ID tokens for the client that asks; a token it signed for another
        // client (as a malicious relying party could replay) is answered by its token endpoint instead
        var start = get(server.baseUrl() + "/auth/oidc/start");
        var atProvider = get(start.headers().firstValue("Location").orElseThrow());
        SignedJWT foreign = provider.issueToken(
                "idp",
                "another-client",
                new DefaultOAuth2TokenCallback("idp", "mallory-aud", "JWT", List.of("another-client"), Map.of(), 3600));
        assertThat(foreign.getJWTClaimsSet().getAudience()).containsExactly("another-client");
        foreignIdToken.set(foreign.serialize());
        var r = get(atProvider.headers().firstValue("Location").orElseThrow());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.body())
                .contains("SSO_TOKEN_INVALID")
                .contains("\"check\":\"audience\"")
                .contains(CLIENT);
        assertThat(SignedIn.cookie(r, "junction_session")).isNull();
        assertThat(audit()).contains("sso:mallory-aud (unverified)");
    }

    @Test
    void refusesATokenWithAnotherNonce() throws Exception {
        var r = signIn("mallory-nonce", List.of(CLIENT), Map.of(), 3600, "a-nonce-the-server-never-sent");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.body()).contains("SSO_TOKEN_INVALID").contains("\"check\":\"nonce\"");
        assertThat(audit()).contains("sso:mallory-nonce (unverified)");
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        var r = signIn("mallory-exp", List.of(CLIENT), Map.of(), -600, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.body()).contains("SSO_TOKEN_INVALID").contains("\"check\":\"expired\"");
        assertThat(audit()).contains("sso:mallory-exp (unverified)");
    }

    @Test
    void aStateIsSingleUse() throws Exception {
        provider.enqueueCallback(
                new DefaultOAuth2TokenCallback("idp", "carol-sub", "JWT", List.of(CLIENT), Map.of(), 3600));
        var start = get(server.baseUrl() + "/auth/oidc/start");
        var atProvider = get(start.headers().firstValue("Location").orElseThrow());
        String callback = atProvider.headers().firstValue("Location").orElseThrow();
        assertThat(get(callback).statusCode()).isEqualTo(302);
        var replay = get(callback);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("OIDC_STATE_INVALID");
        assertThat(get(server.baseUrl() + "/auth/oidc/callback?code=x&state=forged")
                        .body())
                .contains("OIDC_STATE_INVALID");
    }
}
