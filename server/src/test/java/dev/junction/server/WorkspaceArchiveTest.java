package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Archiving a workspace stops its keys and its webhooks at once; its data stays. */
class WorkspaceArchiveTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> as(String key, String method, String path, String type, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anArchivedWorkspacesKeysAndWebhooksStop() throws Exception {
        var created = server.api(
                "POST", "/api/v1/workspaces", "application/json", "{\"id\": \"old-shop\", \"name\": \"Old shop\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String owner = String.valueOf(TestServer.json(created).get("ownerKey"));
        var flow = as(owner, "POST", "/api/v1/flows", "application/yaml", """
                id: orders
                trigger: { type: webhook, path: orders }
                steps: [ { id: a, type: map, expression: "trigger.body" } ]
                """);
        assertThat(flow.statusCode()).as(flow.body()).isEqualTo(201);
        assertThat(server.send("POST", "/hooks/old-shop/orders", "application/json", "{}", false)
                        .statusCode())
                .isEqualTo(202);

        var archived = as(owner, "POST", "/api/v1/workspace/archive", "application/json", "{}");
        assertThat(archived.statusCode()).as(archived.body()).isEqualTo(200);
        assertThat(archived.body()).contains("\"archivedAt\":\"");

        assertThat(server.send("POST", "/hooks/old-shop/orders", "application/json", "{}", false)
                        .statusCode())
                .isEqualTo(404);
        var refused = as(owner, "GET", "/api/v1/flows", null, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("archived");
        assertThat(server.api("POST", "/api/v1/workspace/archive", "application/json", "{}")
                        .statusCode())
                .as("the default workspace cannot be archived")
                .isEqualTo(409);
    }
}
