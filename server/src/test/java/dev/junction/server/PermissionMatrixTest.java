package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.json.Json;
import dev.junction.server.security.Permissions;
import dev.junction.server.security.Role;
import dev.junction.store.ApiKeyStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks every route of the API (taken from the server's own request mappings, so a new route is
 * covered without anyone adding it here) with a key of every role and with another workspace's
 * key, and checks allow/deny exactly as {@link Permissions} (= docs/security.md) says; the same
 * for signed-in users of every role on a sample of routes; plus key expiry, revocation, flow
 * restriction and privilege escalation.
 */
class PermissionMatrixTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;
    private static final Map<Role, String> keys = new EnumMap<>(Role.class);
    private static String otherWorkspaceKey;
    private static String runId;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of());
        for (Role role : Role.values()) {
            keys.put(role, createKey(TestServer.KEY, Map.of("name", "matrix " + role.id(), "role", role.id())));
        }
        var ws = server.api(
                "POST", "/api/v1/workspaces", "application/json", "{\"id\": \"other\", \"name\": \"Other\"}");
        assertThat(ws.statusCode()).as(ws.body()).isEqualTo(201);
        otherWorkspaceKey = String.valueOf(TestServer.json(ws).get("ownerKey"));
        assertThat(server.api("POST", "/api/v1/flows", "application/yaml", """
                        id: private-flow
                        trigger: { type: manual }
                        steps: [ { id: a, type: map, expression: "1" } ]
                        """).statusCode())
                .isEqualTo(201);
        var run = TestServer.json(server.api("POST", "/api/v1/flows/private-flow/runs", "application/json", "{}"));
        runId = String.valueOf(run.get("runId"));
        server.awaitFinished(runId);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String createKey(String as, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = call(as, "POST", "/api/v1/keys", Json.write(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return String.valueOf(TestServer.json(r).get("key"));
    }

    private static HttpResponse<String> call(String key, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every API route as {@code METHOD /pattern}, from the server's request mappings. */
    /**
     * Every API route as {@code METHOD /pattern}, from the server's generated OpenAPI document
     * ({@code /api/openapi.json}, itself built from the request mappings, so a new route is covered).
     */
    @SuppressWarnings("unchecked")
    private static List<String> routes() throws Exception {
        HttpResponse<String> r = server.send("GET", "/api/openapi.json", null, null, false);
        assertThat(r.statusCode()).as("the OpenAPI document is public").isEqualTo(200);
        Map<String, Map<String, Object>> paths =
                (Map<String, Map<String, Object>>) TestServer.json(r).get("paths");
        List<String> out = new ArrayList<>();
        paths.forEach((path, methods) -> {
            if (path.startsWith("/api/v1/")) {
                methods.keySet().forEach(m -> out.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path));
            }
        });
        return out;
    }

    @Test
    void everyRouteHasARuleAndTheDocsShowTheMatrix() throws Exception {
        List<String> routes = routes();
        assertThat(routes).hasSizeGreaterThan(30);
        List<String> missing = routes.stream()
                .filter(r -> Permissions.of(r.substring(0, r.indexOf(' ')), r.substring(r.indexOf(' ') + 1))
                        .isEmpty())
                .toList();
        assertThat(missing).as("routes without a permission rule").isEmpty();
        assertThat(new TreeSet<>(Permissions.all().keySet()))
                .as("rules without a route")
                .isEqualTo(new TreeSet<>(routes));

        Path doc = Path.of("..", "docs", "security.md");
        String text = Files.readString(doc);
        int open = text.indexOf("-->", text.indexOf("<!-- matrix")) + 4;
        int close = text.indexOf("<!-- /matrix -->");
        String generated = Permissions.markdown();
        if (Boolean.getBoolean("junction.docs.write")) {
            Files.writeString(doc, text.substring(0, open) + generated + text.substring(close));
            text = Files.readString(doc);
            close = text.indexOf("<!-- /matrix -->");
        }
        assertThat(text.substring(open, close))
                .as("docs/security.md's matrix; regenerate with -Djunction.docs.write=true")
                .isEqualTo(generated);
    }

    @Test
    void everyRoleIsAllowedOrDeniedExactlyAsTheMatrixSays() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String route : routes()) {
            String method = route.substring(0, route.indexOf(' '));
            String pattern = route.substring(route.indexOf(' ') + 1);
            Role least = Permissions.of(method, pattern).orElseThrow().least();
            String path = pattern.replace("{id}", "matrix-none")
                    .replace("{name}", "matrix_none")
                    .replace("{version}", "1");
            for (Role role : Role.values()) {
                if (route.equals("POST /api/v1/admin/master-key/rotate")
                        || route.equals("POST /api/v1/workspace/archive")) {
                    // changes the whole instance or locks the caller out: checked for refusal only
                    if (role.atLeast(least)) {
                        continue;
                    }
                }
                String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
                HttpResponse<String> r = call(keys.get(role), method, path, body);
                boolean denied = r.statusCode() == 403 && r.body().contains("\"code\":\"FORBIDDEN\"");
                if (denied == role.atLeast(least)) {
                    wrong.add("%s as %s: %d %s".formatted(route, role.id(), r.statusCode(), r.body()));
                }
            }
        }
        assertThat(wrong).as("answers that contradict the matrix").isEmpty();
    }

    @Test
    void signedInUsersOfEveryRoleAreAllowedOrDeniedAsTheMatrixSays() throws Exception {
        List<String> sample = List.of(
                "GET /api/v1/flows",
                "POST /api/v1/flows/{id}/runs",
                "PUT /api/v1/secrets/{name}",
                "GET /api/v1/users",
                "POST /api/v1/workspaces");
        List<String> wrong = new ArrayList<>();
        for (Role role : Role.values()) {
            String password = "matrix password " + role.id();
            var created = call(
                    TestServer.KEY,
                    "POST",
                    "/api/v1/users",
                    Json.write(Map.of("login", "matrix-" + role.id(), "password", password, "role", role.id())));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            SignedIn user = SignedIn.login(server, "default", "matrix-" + role.id(), password);
            for (String route : sample) {
                String method = route.substring(0, route.indexOf(' '));
                String pattern = route.substring(route.indexOf(' ') + 1);
                Role least = Permissions.of(method, pattern).orElseThrow().least();
                String path = pattern.replace("{id}", "matrix-none").replace("{name}", "matrix_none");
                var r = user.send(method, path, method.equals("GET") ? null : Map.of());
                boolean denied = r.statusCode() == 403 && r.body().contains("\"code\":\"FORBIDDEN\"");
                if (denied == role.atLeast(least) || r.statusCode() == 401) {
                    wrong.add("%s as user %s: %d %s".formatted(route, role.id(), r.statusCode(), r.body()));
                }
            }
        }
        assertThat(wrong)
                .as("answers to session callers that contradict the matrix")
                .isEmpty();
    }

    @Test
    void anotherWorkspacesKeyCannotSeeOrTouchThisWorkspace() throws Exception {
        assertThat(call(otherWorkspaceKey, "GET", "/api/v1/flows/private-flow", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(call(otherWorkspaceKey, "GET", "/api/v1/runs/" + runId, null).statusCode())
                .isEqualTo(404);
        assertThat(call(otherWorkspaceKey, "POST", "/api/v1/flows/private-flow/runs", "{}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(call(otherWorkspaceKey, "DELETE", "/api/v1/flows/private-flow", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(call(otherWorkspaceKey, "GET", "/api/v1/flows", null).body()).doesNotContain("private-flow");
        assertThat(call(otherWorkspaceKey, "GET", "/api/v1/runs", null).body()).doesNotContain(runId);
        assertThat(server.api("GET", "/api/v1/flows/private-flow", null, null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void keysCannotEscalateExpireAndAreRevokedAtOnce() throws Exception {
        var stronger = call(keys.get(Role.ADMIN), "POST", "/api/v1/keys", "{\"name\": \"x\", \"role\": \"owner\"}");
        assertThat(stronger.statusCode()).isEqualTo(403);
        assertThat(stronger.body()).contains("ROLE_TOO_HIGH");
        var byEditor = call(keys.get(Role.EDITOR), "POST", "/api/v1/keys", "{\"name\": \"x\", \"role\": \"viewer\"}");
        assertThat(byEditor.statusCode()).isEqualTo(403);
        assertThat(call(keys.get(Role.ADMIN), "POST", "/api/v1/keys", "{\"name\": \"x\", \"role\": \"root\"}")
                        .body())
                .contains("\"field\":\"role\"");

        String revocable = createKey(TestServer.KEY, Map.of("name", "to revoke", "role", "viewer"));
        assertThat(call(revocable, "GET", "/api/v1/flows", null).statusCode()).isEqualTo(200);
        String id = TestServer.json(server.api("GET", "/api/v1/keys", null, null))
                .get("items")
                .toString();
        assertThat(id).contains("to revoke");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>)
                TestServer.json(server.api("GET", "/api/v1/keys", null, null)).get("items");
        String keyId = items.stream()
                .filter(k -> "to revoke".equals(k.get("name")))
                .findFirst()
                .orElseThrow()
                .get("id")
                .toString();
        assertThat(items).noneMatch(k -> k.containsKey("key"));
        assertThat(server.api("DELETE", "/api/v1/keys/" + keyId, null, null).statusCode())
                .isEqualTo(204);
        var revoked = call(revocable, "GET", "/api/v1/flows", null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("revoked");
        assertThat(server.api("GET", "/api/v1/audit?actor=key:" + keyId, null, null)
                        .body())
                .as("the revoked key's attempt is audited")
                .contains("\"status\":401");

        server.bean(ApiKeyStore.class)
                .create(
                        new ApiKeyStore.StoredKey(
                                new ApiKeyStore.ApiKey("key-expired", "default", "expired", "viewer"),
                                Instant.now().minusSeconds(60),
                                null,
                                Instant.now().minusSeconds(1),
                                null,
                                null,
                                "test",
                                false),
                        "jct_expired_key_for_the_matrix_test");
        var expired = call("jct_expired_key_for_the_matrix_test", "GET", "/api/v1/flows", null);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("expired");
    }

    @Test
    void aKeyRestrictedToFlowsReachesOnlyThoseAndTheirRuns() throws Exception {
        String restricted = createKey(
                TestServer.KEY, Map.of("name", "one flow", "role", "operator", "flows", List.of("private-flow")));
        assertThat(call(restricted, "GET", "/api/v1/flows/private-flow", null).statusCode())
                .isEqualTo(200);
        assertThat(call(restricted, "GET", "/api/v1/runs/" + runId, null).statusCode())
                .isEqualTo(200);
        assertThat(call(restricted, "GET", "/api/v1/runs?flow=private-flow", null)
                        .statusCode())
                .isEqualTo(200);
        var elsewhere = call(restricted, "GET", "/api/v1/connections", null);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("KEY_RESTRICTED");
        assertThat(call(restricted, "GET", "/api/v1/flows/another-flow", null).statusCode())
                .isEqualTo(403);
        assertThat(call(restricted, "GET", "/api/v1/runs", null).statusCode()).isEqualTo(403);
    }

    @Test
    void refusalsAreAudited() throws Exception {
        call(keys.get(Role.VIEWER), "DELETE", "/api/v1/flows/private-flow", null);
        assertThat(server.api("GET", "/api/v1/audit?action=DELETE", null, null).body())
                .contains("\"status\":403");
    }
}
