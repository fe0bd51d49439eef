package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local accounts through the real server: sign-in opens a cookie session, lockout after five wrong
 * passwords (lifted by a shifted clock), CSRF on changing cookie requests, forged and expired
 * sessions, security headers, the users API, keys created by users, and profile preferences.
 */
class IdentityTest {
    private static final String PASSWORD = "correct horse battery";
    private static final ShiftedClock clock = new ShiftedClock();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Creates a local user with the bootstrap (owner) key; answers the user's id. */
    private static String user(String login, String role) throws Exception {
        var r = server.api(
                "POST",
                "/api/v1/users",
                "application/json",
                Json.write(Map.of("login", login, "password", PASSWORD, "role", role, "displayName", login)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).doesNotContain(PASSWORD).doesNotContain("pbkdf2");
        return String.valueOf(TestServer.json(r).get("id"));
    }

    private static String audit(String query) throws Exception {
        return server.api("GET", "/api/v1/audit?" + query, null, null).body();
    }

    @Test
    void signInOpensASessionWithSafeCookiesThatReachesTheApi() throws Exception {
        String id = user("ada", "editor");
        SignedIn ada = SignedIn.login(server, "default", "ada", PASSWORD);
        String cookie = ada.signIn().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("junction_session="))
                .findFirst()
                .orElseThrow();
        assertThat(cookie)
                .contains("HttpOnly")
                .contains("SameSite=Lax")
                .contains("Path=/")
                .doesNotContain("Secure");
        assertThat(ada.signIn().body()).doesNotContain(PASSWORD).contains("\"role\":\"editor\"");

        var me = ada.send("GET", "/api/v1/me", null, null);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(TestServer.json(me)).containsEntry("id", id).containsEntry("kind", "user");
        assertThat(ada.send("POST", "/api/v1/flows/none/runs", Map.of()).statusCode())
                .isEqualTo(404); // an editor may start runs; the flow does not exist
        assertThat(audit("actor=user:" + id)).contains("POST /auth/login").contains("\"status\":200");
    }

    @Test
    void fiveWrongPasswordsLockTheAccountForFifteenMinutes() throws Exception {
        String id = user("grace", "viewer");
        for (int i = 1; i <= 4; i++) {
            var r = SignedIn.loginAttempt(server, "default", "grace", "wrong password " + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(r.body()).contains("SIGN_IN_FAILED").doesNotContain("wrong password");
        }
        var fifth = SignedIn.loginAttempt(server, "default", "grace", "wrong password 5");
        assertThat(fifth.statusCode()).isEqualTo(423);
        assertThat(fifth.body())
                .contains("ACCOUNT_LOCKED")
                .contains("lockedUntil")
                .contains("until");
        var right = SignedIn.loginAttempt(server, "default", "grace", PASSWORD);
        assertThat(right.statusCode()).as("locked even with the right password").isEqualTo(423);

        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        SignedIn.login(server, "default", "grace", PASSWORD);
        String trail = audit("actor=user:" + id);
        assertThat(trail).contains("\"status\":401").contains("\"status\":423").contains("\"status\":200");
    }

    @Test
    void unknownLoginsAnswerTheSameAndAreAudited() throws Exception {
        var unknown = SignedIn.loginAttempt(server, "default", "nobody", PASSWORD);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("SIGN_IN_FAILED");
        assertThat(audit("actor=login:nobody")).contains("POST /auth/login").contains("\"status\":401");
        assertThat(SignedIn.loginAttempt(server, "no-such-workspace", "nobody", PASSWORD)
                        .statusCode())
                .isEqualTo(401);
        var form = server.send(
                "POST", "/auth/login", "text/plain", "{\"login\":\"nobody\",\"password\":\"pass=word1234567\"}", false);
        assertThat(form.statusCode())
                .as("a cross-site form cannot sign anyone in")
                .isEqualTo(415);
    }

    @Test
    void changingRequestsWithTheCookieNeedTheCsrfToken() throws Exception {
        String id = user("linus", "viewer");
        SignedIn linus = SignedIn.login(server, "default", "linus", PASSWORD);
        var none = linus.send("PATCH", "/api/v1/me", Map.of("theme", "dark"), null);
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("CSRF_INVALID");
        var wrong = linus.send("PATCH", "/api/v1/me", Map.of("theme", "dark"), "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(linus.send("GET", "/api/v1/me", null, null).body()).doesNotContain("dark");
        var right = linus.send("PATCH", "/api/v1/me", Map.of("theme", "dark"));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(audit("actor=user:" + id)).contains("PATCH /api/v1/me").contains("\"status\":403");
    }

    @Test
    void forgedExpiredAndEndedSessionsAreRefused() throws Exception {
        user("barbara", "viewer");
        SignedIn real = SignedIn.login(server, "default", "barbara", PASSWORD);
        var forged = new SignedIn(server.baseUrl(), "forged-" + real.cookie(), real.csrfToken(), null)
                .send("GET", "/api/v1/me", null, null);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).contains("SESSION_INVALID");
        assertThat(server.send("GET", "/api/v1/me", null, null, false).statusCode())
                .isEqualTo(401);

        clock.advance(Duration.ofHours(11));
        assertThat(real.send("GET", "/api/v1/me", null, null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        var expired = real.send("GET", "/api/v1/me", null, null);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("SESSION_INVALID");

        SignedIn again = SignedIn.login(server, "default", "barbara", PASSWORD);
        var out = again.send("POST", "/auth/logout", null);
        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(SignedIn.cookie(out, "junction_session")).isEmpty();
        assertThat(again.send("GET", "/api/v1/me", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void everyAnswerCarriesSecurityHeaders() throws Exception {
        List<HttpResponse<String>> answers = List.of(
                server.api("GET", "/api/v1/flows", null, null),
                server.send("GET", "/api/v1/flows", null, null, false),
                server.send("POST", "/hooks/default/nothing-here", "application/json", "{}", false),
                SignedIn.loginAttempt(server, "default", "nobody", "x"),
                server.send("GET", "/auth/oidc/start", null, null, false));
        for (HttpResponse<String> r : answers) {
            assertThat(r.headers().firstValue("Content-Security-Policy"))
                    .as(r.uri().toString())
                    .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        }
    }

    @Test
    void adminsManageUsersNoStrongerThanThemselvesAndDisablingEndsSessions() throws Exception {
        String adminId = user("alan", "admin");
        SignedIn admin = SignedIn.login(server, "default", "alan", PASSWORD);
        var owner = admin.send("POST", "/api/v1/users", Map.of("login", "o", "password", PASSWORD, "role", "owner"));
        assertThat(owner.statusCode()).isEqualTo(403);
        assertThat(owner.body()).contains("ROLE_TOO_HIGH");
        var weak = admin.send("POST", "/api/v1/users", Map.of("login", "w", "password", "short", "role", "viewer"));
        assertThat(weak.statusCode()).isEqualTo(422);
        assertThat(weak.body()).contains("\"field\":\"password\"").contains("at least 12");
        var created = admin.send(
                "POST", "/api/v1/users", Map.of("login", "edsger", "password", PASSWORD, "role", "operator"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String edsgerId = String.valueOf(TestServer.json(created).get("id"));
        assertThat(admin.send(
                                "POST",
                                "/api/v1/users",
                                Map.of("login", "edsger", "password", PASSWORD, "role", "viewer"))
                        .body())
                .contains("USER_EXISTS");

        SignedIn edsger = SignedIn.login(server, "default", "edsger", PASSWORD);
        assertThat(edsger.send("GET", "/api/v1/users", null, null).statusCode()).isEqualTo(403);
        var disabled = admin.send("PATCH", "/api/v1/users/" + edsgerId, Map.of("disabled", true));
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(edsger.send("GET", "/api/v1/me", null, null).statusCode()).isEqualTo(401);
        assertThat(SignedIn.loginAttempt(server, "default", "edsger", PASSWORD).statusCode())
                .isEqualTo(401);
        assertThat(admin.send("PATCH", "/api/v1/users/" + adminId, Map.of("disabled", true))
                        .body())
                .contains("USER_SELF");
        String ownerId = user("olivia", "owner");
        assertThat(admin.send("DELETE", "/api/v1/users/" + ownerId, null).statusCode())
                .isEqualTo(403);
        assertThat(admin.send("DELETE", "/api/v1/users/" + edsgerId, null).statusCode())
                .isEqualTo(204);
        assertThat(server.api("GET", "/api/v1/users", null, null).body())
                .contains("olivia")
                .doesNotContain("edsger");
    }

    @Test
    void aSignedInAdminCreatesKeysNoStrongerThanThemselves() throws Exception {
        String id = user("margaret", "admin");
        SignedIn margaret = SignedIn.login(server, "default", "margaret", PASSWORD);
        var key = margaret.send("POST", "/api/v1/keys", Map.of("name", "ci", "role", "editor"));
        assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
        assertThat(TestServer.json(key)).containsEntry("createdBy", "user:" + id);
        var stronger = margaret.send("POST", "/api/v1/keys", Map.of("name", "x", "role", "owner"));
        assertThat(stronger.statusCode()).isEqualTo(403);
        assertThat(stronger.body()).contains("ROLE_TOO_HIGH");
    }

    @Test
    void profilePreferencesAreValidatedAndKept() throws Exception {
        user("hedy", "viewer");
        SignedIn hedy = SignedIn.login(server, "default", "hedy", PASSWORD);
        var ok = hedy.send(
                "PATCH",
                "/api/v1/me",
                Map.of(
                        "displayName", "Hedy L.",
                        "locale", "de-CH",
                        "timeZone", "Europe/Zurich",
                        "theme", "light",
                        "dashboardLayout", Map.of("widgets", List.of("runs", "failures")),
                        "notificationChannels", List.of(Map.of("type", "email"))));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        var me = TestServer.json(hedy.send("GET", "/api/v1/me", null, null));
        assertThat(me).containsEntry("displayName", "Hedy L.");
        assertThat(Json.write(me.get("preferences")))
                .contains("\"locale\":\"de-CH\"")
                .contains("Europe/Zurich")
                .contains("failures")
                .contains("email");
        for (var bad : List.of(
                Map.of("timeZone", "Mars/Olympus"),
                Map.of("timeZone", "+02:00"),
                Map.of("locale", "not a tag"),
                Map.of("theme", "neon"),
                Map.of("dashboardLayout", "grid"),
                Map.of("colour", "red"))) {
            var r = hedy.send("PATCH", "/api/v1/me", bad);
            assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(422);
            assertThat(r.body())
                    .contains("\"field\":\"" + bad.keySet().iterator().next() + "\"");
        }
        assertThat(server.api("PATCH", "/api/v1/me", "application/json", "{\"theme\": \"dark\"}")
                        .body())
                .contains("NOT_A_USER");
    }
}
