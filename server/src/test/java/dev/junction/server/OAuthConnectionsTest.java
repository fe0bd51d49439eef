package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OAuth 2.0 connections through the real server against a real provider (mock-oauth2-server on
 * 127.0.0.1): client credentials, and authorization code with PKCE through the browser redirect,
 * refresh before expiry (the server's clock is shifted past it) and a refused refresh that marks
 * the connection {@code needs_reauth}. A local downstream records the bearer tokens it receives.
 */
class OAuthConnectionsTest {
    private static final String SECRET = "oauth-Client-Secret-31";
    private static final HttpClient BROWSER =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final ShiftedClock clock = new ShiftedClock();
    private static MockOAuth2Server provider;
    private static HttpServer downstream;
    private static String downstreamBase;
    private static TestServer server;
    private static final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private static final List<String> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        provider = new MockOAuth2Server(new StrictClientRoute("billing-client", "the-right-secret"));
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(ex.getRequestURI().getPath() + " " + auth);
            byte[] out = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(auth == null || !auth.startsWith("Bearer ") ? 401 : 200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        downstream.start();
        downstreamBase = "http://127.0.0.1:" + downstream.getAddress().getPort();
        server = new TestServer(Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.shutdown();
        downstream.stop(0);
        assertThat(answers).noneMatch(a -> a.contains(SECRET) || a.contains("the-right-secret"));
    }

    private static HttpResponse<String> api(String method, String path, Object body) throws Exception {
        HttpResponse<String> r = server.api(
                method, path, body == null ? null : "application/json", body == null ? null : Json.write(body));
        answers.add(r.body());
        return r;
    }

    private static HttpResponse<String> browse(String url) throws Exception {
        HttpResponse<String> r = BROWSER.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        answers.add(r.body());
        return r;
    }

    private static Map<String, Object> connection(String id, Map<String, Object> auth) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("connector", "http");
        c.put("config", Map.of("baseUrl", downstreamBase + "/" + id + "/"));
        c.put("auth", auth);
        return c;
    }

    private static Map<String, Object> run(String connection, String path) throws Exception {
        String flowId = "call-" + connection + "-" + path.replace('/', '-');
        HttpResponse<String> created =
                server.api("POST", "/api/v1/flows", "application/yaml", """
                id: %s
                trigger: { type: manual }
                steps:
                  - id: call
                    type: call
                    connection: %s
                    operation: request
                    input: { path: %s }
                """.formatted(flowId, connection, path));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var started =
                TestServer.json(server.api("POST", "/api/v1/flows/" + flowId + "/runs", "application/json", "{}"));
        Map<String, Object> run = server.awaitFinished(String.valueOf(started.get("runId")));
        answers.add(Json.write(run));
        return run;
    }

    private static String tokenSeenFor(String path) {
        return seen.stream()
                .filter(s -> s.startsWith(path + " Bearer "))
                .map(s -> s.substring(s.indexOf("Bearer ") + 7))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no bearer call to " + path + " in " + seen));
    }

    @Test
    void clientCredentialsConnectionsFetchATokenAndABadSecretSavesNothing() throws Exception {
        Map<String, Object> auth = new LinkedHashMap<>(Map.of(
                "type", "oauth2ClientCredentials",
                "tokenUrl", provider.tokenEndpointUrl("default").toString(),
                "clientId", "billing-client",
                "clientSecret", SECRET,
                "scope", "invoices.read"));
        Map<String, Object> body = connection("billing", auth);
        body.put("activate", true);
        var created = api("POST", "/api/v1/connections", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"status\":\"active\"").contains("auth.clientSecret");

        Map<String, Object> run = run("billing", "invoices/1");
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("SUCCEEDED");
        assertThat(tokenSeenFor("/billing/invoices/1")).startsWith("ey"); // a JWT from the provider

        auth.put("tokenUrl", provider.baseUrl().resolve(StrictClientRoute.PATH).toString());
        Map<String, Object> bad = connection("billing-bad", auth);
        bad.put("activate", true);
        var refused = api("POST", "/api/v1/connections", bad);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body())
                .contains("CONNECTION_TEST_FAILED")
                .contains("AUTH_FAILED")
                .contains("invalid_client: Invalid client secret ***");
        assertThat(api("GET", "/api/v1/connections/billing-bad", null).statusCode())
                .isEqualTo(404);

        auth.put("clientAuth", "jwt");
        var badField = api("POST", "/api/v1/connections", connection("billing-odd", auth));
        assertThat(badField.statusCode()).isEqualTo(422);
        assertThat(badField.body()).contains("\"field\":\"auth.clientAuth\"");
    }

    @Test
    void authorizationCodeWithPkceRefreshesBeforeExpiryAndARefusedRefreshNeedsReauth() throws Exception {
        Map<String, Object> auth = new LinkedHashMap<>(Map.of(
                "type",
                "oauth2AuthorizationCode",
                "authorizeUrl",
                provider.authorizationEndpointUrl("default").toString(),
                "tokenUrl",
                provider.tokenEndpointUrl("default").toString(),
                "clientId",
                "crm-app",
                "clientSecret",
                SECRET,
                "scope",
                "openid offline_access"));
        var created = api("POST", "/api/v1/connections", connection("crm", auth));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var early = api("POST", "/api/v1/connections/crm/activate", null);
        assertThat(early.statusCode()).isEqualTo(422);
        assertThat(early.body()).contains("NEEDS_REAUTH").contains("not been authorized yet");

        authorizeInTheBrowser("crm");
        var view = TestServer.json(api("GET", "/api/v1/connections/crm", null));
        assertThat(view.get("status")).isEqualTo("active");
        assertThat(view.get("secretsSet").toString()).contains("oauth.accessToken", "oauth.refreshToken");

        assertThat(run("crm", "contacts/1").get("status")).isEqualTo("SUCCEEDED");
        String first = tokenSeenFor("/crm/contacts/1");
        assertThat(answers).noneMatch(a -> a.contains(first));

        clock.advance(Duration.ofHours(2)); // past the access token's expiry (the provider's default is 1 h)
        assertThat(run("crm", "contacts/2").get("status")).isEqualTo("SUCCEEDED");
        String renewed = tokenSeenFor("/crm/contacts/2");
        assertThat(renewed).isNotEqualTo(first).startsWith("ey");
        assertThat(run("crm", "contacts/3").get("status")).isEqualTo("SUCCEEDED");
        assertThat(tokenSeenFor("/crm/contacts/3")).isEqualTo(renewed);

        // The connection moves to another tenant of the provider, which does not know the refresh
        // token: the provider refuses the next refresh with invalid_grant.
        auth.put("authorizeUrl", provider.authorizationEndpointUrl("tenant2").toString());
        auth.put("tokenUrl", provider.tokenEndpointUrl("tenant2").toString());
        auth.remove("clientSecret"); // kept
        var moved = api("PUT", "/api/v1/connections/crm", connection("crm", auth));
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        clock.advance(Duration.ofHours(2));
        Map<String, Object> refused = run("crm", "contacts/4");
        assertThat(refused.get("status")).isEqualTo("FAILED");
        assertThat(String.valueOf(refused.get("error"))).contains("NEEDS_REAUTH");
        var reauth = TestServer.json(api("GET", "/api/v1/connections/crm", null));
        assertThat(reauth.get("status")).isEqualTo("needs_reauth");
        assertThat(String.valueOf(reauth.get("statusReason")))
                .contains("refused to refresh")
                .contains("invalid_grant");
        assertThat(String.valueOf(run("crm", "contacts/5").get("error"))).contains("NEEDS_REAUTH");
        assertThat(seen).noneMatch(s -> s.startsWith("/crm/contacts/4") || s.startsWith("/crm/contacts/5"));

        auth.put("scope", "openid offline_access contacts");
        var corrected = api("PUT", "/api/v1/connections/crm", connection("crm", auth));
        assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(200);
        assertThat(TestServer.json(corrected).get("status")).isEqualTo("needs_reauth");
        assertThat(TestServer.json(corrected).get("secretsSet").toString())
                .contains("auth.clientSecret", "oauth.refreshToken");

        authorizeInTheBrowser("crm"); // re-authorization makes it usable again
        assertThat(run("crm", "contacts/6").get("status")).isEqualTo("SUCCEEDED");
    }

    private static void authorizeInTheBrowser(String id) throws Exception {
        var started = api("POST", "/api/v1/connections/" + id + "/oauth/authorize", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        Map<String, Object> attempt = TestServer.json(started);
        String authorizeUrl = String.valueOf(attempt.get("authorizeUrl"));
        String port = URI.create(server.baseUrl()).getPort() + "";
        assertThat(attempt.get("redirectUri")).isEqualTo("http://localhost:" + port + "/oauth/callback");
        assertThat(authorizeUrl)
                .contains("code_challenge_method=S256", "state=" + attempt.get("state"))
                .doesNotContain("code_verifier");

        var approved = browse(authorizeUrl); // mock-oauth2-server approves without a login page
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(302);
        String callback = approved.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith("http://localhost:" + port + "/oauth/callback?code=");

        var forged = browse(server.baseUrl() + "/oauth/callback?code=abc&state=forged");
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("OAUTH_STATE_INVALID");

        var done = browse(callback);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("\"status\":\"active\"");

        var replayed = browse(callback);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("OAUTH_STATE_INVALID");
    }

    @Test
    void theProvidersErrorIsShownVerbatimAndOtherAuthTypesCannotBeAuthorized() throws Exception {
        Map<String, Object> auth = new LinkedHashMap<>(Map.of(
                "type",
                "oauth2AuthorizationCode",
                "authorizeUrl",
                provider.authorizationEndpointUrl("default").toString(),
                "tokenUrl",
                provider.tokenEndpointUrl("default").toString(),
                "clientId",
                "erp-app"));
        assertThat(api("POST", "/api/v1/connections", connection("erp", auth)).statusCode())
                .isEqualTo(201);
        String state = String.valueOf(TestServer.json(api("POST", "/api/v1/connections/erp/oauth/authorize", null))
                .get("state"));

        var denied = browse(server.baseUrl() + "/oauth/callback?error=access_denied"
                + "&error_description=The+user+said+no&state=" + state);
        assertThat(denied.statusCode()).isEqualTo(400);
        assertThat(denied.body()).contains("OAUTH_AUTHORIZATION_REFUSED").contains("access_denied: The user said no");
        assertThat(TestServer.json(api("GET", "/api/v1/connections/erp", null)).get("status"))
                .isEqualTo("draft");

        auth.put("clientSecret", SECRET);
        assertThat(api("PUT", "/api/v1/connections/erp", connection("erp", auth))
                        .body())
                .contains("auth.clientSecret");
        auth.remove("clientSecret");
        assertThat(api("PUT", "/api/v1/connections/erp", connection("erp", auth))
                        .body())
                .contains("auth.clientSecret"); // omitted: kept
        auth.put("clientSecret", null);
        assertThat(api("PUT", "/api/v1/connections/erp", connection("erp", auth))
                        .body())
                .doesNotContain("auth.clientSecret"); // null: cleared

        var plain = connection("plain", Map.of("type", "bearer", "token", "t"));
        assertThat(api("POST", "/api/v1/connections", plain).statusCode()).isEqualTo(201);
        var notOAuth = api("POST", "/api/v1/connections/plain/oauth/authorize", null);
        assertThat(notOAuth.statusCode()).isEqualTo(409);
        assertThat(notOAuth.body()).contains("OAUTH_NOT_APPLICABLE");
        var noKey = server.send("POST", "/api/v1/connections/erp/oauth/authorize", null, null, false);
        assertThat(noKey.statusCode()).isEqualTo(401);
    }
}
