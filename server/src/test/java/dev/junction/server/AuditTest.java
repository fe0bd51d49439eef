package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.store.Database;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log end to end: every changing API request is recorded with actor, action, target and
 * status; secrets never reach it; it exports as CSV; and a row changed directly in the database is
 * reported by verify.
 */
class AuditTest {
    private static final String SECRET = "audit-Secret-Value-31";
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> audit(String query) throws Exception {
        HttpResponse<String> r = server.api("GET", "/api/v1/audit" + query, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (List<Map<String, Object>>) TestServer.json(r).get("items");
    }

    @Test
    @SuppressWarnings("unchecked")
    void recordsChangesExportsCsvAndFindsTampering() throws Exception {
        var created = server.api("POST", "/api/v1/flows", "application/yaml", """
                id: audited
                trigger: { type: manual }
                steps: [ { id: a, type: map, expression: "1" } ]
                """);
        assertThat(created.statusCode()).isEqualTo(201);
        var refused = server.api("POST", "/api/v1/flows", "application/yaml", "id: bad\nsteps: 3\n");
        assertThat(refused.statusCode()).isEqualTo(422);
        var secret = server.api(
                "PUT", "/api/v1/secrets/erp_password", "application/json", "{\"value\": \"" + SECRET + "\"}");
        assertThat(secret.statusCode()).as(secret.body()).isBetween(200, 204);
        var run = server.api("POST", "/api/v1/flows/audited/runs", "application/json", "{}");
        assertThat(run.statusCode()).isBetween(200, 202);
        assertThat(server.api("DELETE", "/api/v1/flows/audited", null, null).statusCode())
                .isBetween(200, 204);

        List<Map<String, Object>> records = audit("?limit=50");
        assertThat(records)
                .extracting(r -> r.get("action") + " " + r.get("status"))
                .contains(
                        "POST /api/v1/flows 201",
                        "POST /api/v1/flows 422",
                        "PUT /api/v1/secrets/{name} " + secret.statusCode(),
                        "POST /api/v1/flows/{id}/runs " + run.statusCode());
        assertThat(records.getFirst().get("action")).isEqualTo("DELETE /api/v1/flows/{id}");
        assertThat(records)
                .allSatisfy(r -> assertThat(r.get("actor")).asString().startsWith("key:"));
        Map<String, Object> secretRecord = records.stream()
                .filter(r -> String.valueOf(r.get("action")).contains("/secrets/"))
                .findFirst()
                .orElseThrow();
        assertThat(secretRecord.get("beforeDigest"))
                .as("no digest of a body with credentials")
                .isNull();
        assertThat(secretRecord.get("target")).isEqualTo("/api/v1/secrets/erp_password");
        assertThat(audit("?target=/api/v1/flows/audited"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("target")).asString().startsWith("/api/v1/flows/audited"));

        HttpResponse<String> csv = server.api("GET", "/api/v1/audit?format=csv&limit=50", null, null);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().findFirst().orElse(""))
                .isEqualTo("seq,at,actor,action,target,status,beforeDigest,afterDigest,hash");
        assertThat(csv.body().lines().count()).isEqualTo(records.size() + 1);
        assertThat(csv.body()).doesNotContain(SECRET);
        assertThat(server.api("GET", "/api/v1/audit?limit=1000", null, null).body())
                .doesNotContain(SECRET);

        Map<String, Object> ok = TestServer.json(server.api("POST", "/api/v1/audit/verify", "application/json", "{}"));
        assertThat(ok).containsEntry("ok", true);

        long victim = ((Number) records.get(records.size() - 2).get("seq")).longValue();
        server.bean(Database.class).write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit_log SET status = 200 WHERE workspace_id = 'default' AND seq = ?")) {
                ps.setLong(1, victim);
                return ps.executeUpdate();
            }
        });
        Map<String, Object> broken =
                TestServer.json(server.api("POST", "/api/v1/audit/verify", "application/json", "{}"));
        assertThat(broken).containsEntry("ok", false);
        assertThat((Map<String, Object>) broken.get("firstBroken")).containsEntry("seq", (int) victim);
    }

    @Test
    void badFiltersAreClearAnswers() throws Exception {
        var r = server.api("GET", "/api/v1/audit?since=yesterday", null, null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"field\":\"since\"");
        assertThat(server.api("GET", "/api/v1/audit?limit=0", null, null).statusCode())
                .isEqualTo(400);
        assertThat(server.api("GET", "/api/v1/audit?cursor=abc", null, null).statusCode())
                .isEqualTo(400);
    }
}
