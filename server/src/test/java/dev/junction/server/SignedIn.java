package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** A browser's session with the test server: the session cookie and the CSRF token from sign-in. */
record SignedIn(String baseUrl, String cookie, String csrfToken, HttpResponse<String> signIn) {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** Signs in by password; the answer must be 200. */
    static SignedIn login(TestServer server, String workspace, String login, String password) throws Exception {
        HttpResponse<String> r = loginAttempt(server, workspace, login, password);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new SignedIn(
                server.baseUrl(),
                cookie(r, "junction_session"),
                String.valueOf(TestServer.json(r).get("csrfToken")),
                r);
    }

    static HttpResponse<String> loginAttempt(TestServer server, String workspace, String login, String password)
            throws Exception {
        return server.send(
                "POST",
                "/auth/login",
                "application/json",
                Json.write(Map.of("workspace", workspace, "login", login, "password", password)),
                false);
    }

    /** The value of cookie {@code name} set by {@code r}, or null. */
    static String cookie(HttpResponse<?> r, String name) {
        List<String> set = r.headers().allValues("Set-Cookie");
        return set.stream()
                .filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .findFirst()
                .orElse(null);
    }

    /** Sends with the cookie and, when {@code csrf} is not null, {@code X-CSRF-Token: csrf}. */
    HttpResponse<String> send(String method, String path, Object body, String csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Cookie", "junction_session=" + cookie)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends with the cookie and the right CSRF token. */
    HttpResponse<String> send(String method, String path, Object body) throws Exception {
        return send(method, path, body, csrfToken);
    }
}
