package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.junction.server.core.JunctionSettings;
import dev.junction.server.vault.MasterKeys;
import dev.junction.store.Database;
import dev.junction.store.vault.Vault;
import dev.junction.store.vault.VaultException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workspace secrets end to end: write-only API, usable in flows, never in run data or API answers,
 * and still usable after a master-key rotation that leaves the old key useless.
 */
class SecretsTest {
    private static final String SECRET = "pa55-Very-Secret-Value-9";
    private static TestServer server;
    private static LogCapture logs;
    private static HttpServer erp;
    private static final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    private static final List<String> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        erp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        erp.createContext("/login", ex -> {
            received.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Api-Password")));
            byte[] out = ("{\"echo\": \"" + ex.getRequestHeaders().getFirst("X-Api-Password") + "\"}").getBytes();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        erp.start();
        server = new TestServer(Map.of());
        logs = LogCapture.begin();
    }

    @AfterAll
    static void stop() {
        server.close();
        logs.close();
        assertThat(logs.lines()).as("the capture works").anyMatch(l -> l.contains("log capture started"));
        for (String secret : List.of(SECRET)) {
            assertThat(logs.lines()).as("log lines").noneMatch(l -> l.contains(secret));
        }
        erp.stop(0);
    }

    private static HttpResponse<String> api(String method, String path, String type, String body) throws Exception {
        HttpResponse<String> r = server.api(method, path, type, body);
        answers.add(r.headers().map() + r.body());
        return r;
    }

    private String runFlow() throws Exception {
        var started = TestServer.json(api("POST", "/api/v1/flows/uses-secret/runs", "application/json", "{}"));
        String runId = String.valueOf(started.get("runId"));
        Map<String, Object> run = server.awaitFinished(runId);
        assertThat(run.get("status")).isEqualTo("SUCCEEDED");
        return api("GET", "/api/v1/runs/" + runId, null, null).body();
    }

    @Test
    void aSecretIsWriteOnlyUsableInFlowsRedactedFromRunDataAndSurvivesRotation() throws Exception {
        assertThat(api("PUT", "/api/v1/secrets/erpPassword", "application/json", "{\"value\": \"" + SECRET + "\"}")
                        .statusCode())
                .isEqualTo(204);
        assertThat(api("GET", "/api/v1/secrets", null, null).body()).contains("erpPassword");
        String flow = """
                id: uses-secret
                trigger: { type: manual }
                steps:
                  - id: login
                    type: http
                    method: POST
                    url: http://127.0.0.1:%d/login
                    headers: { X-Api-Password: "{{ secrets.erpPassword }}" }
                    body: { note: "sent {{ secrets.erpPassword }}" }
                """.formatted(erp.getAddress().getPort());
        assertThat(api("POST", "/api/v1/flows", "application/yaml", flow).statusCode())
                .isEqualTo(201);

        String runData = runFlow();
        assertThat(received).contains(SECRET);
        assertThat(runData).contains("***").doesNotContain(SECRET);

        JunctionSettings settings = server.bean(JunctionSettings.class);
        String oldKeyFile = Files.readString(MasterKeys.file(settings)).strip();
        var rotated = TestServer.json(api("POST", "/api/v1/admin/master-key/rotate", null, null));
        assertThat(rotated.get("keyId")).isNotEqualTo(rotated.get("previousKeyId"));
        assertThat(Files.readString(MasterKeys.file(settings)).strip()).isNotEqualTo(oldKeyFile);

        received.clear();
        assertThat(runFlow()).doesNotContain(SECRET);
        assertThat(received).contains(SECRET);
        Vault withOldKey =
                new Vault(server.bean(Database.class), MasterKeys.decode(oldKeyFile, "old"), null, Clock.systemUTC());
        assertThatThrownBy(() -> withOldKey.get("default", Vault.WORKSPACE, "erpPassword"))
                .isInstanceOf(VaultException.class);

        assertThat(answers).noneMatch(a -> a.contains(SECRET));
    }

    @Test
    void badSecretRequestsAreClear4xx() throws Exception {
        var badName = api("PUT", "/api/v1/secrets/has-dash", "application/json", "{\"value\": \"x\"}");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("\"field\":\"name\"");
        var noValue = api("PUT", "/api/v1/secrets/ok", "application/json", "{\"val\": \"x\"}");
        assertThat(noValue.statusCode()).isEqualTo(400);
        assertThat(noValue.body()).contains("\"field\":\"value\"");
        assertThat(api("DELETE", "/api/v1/secrets/nothing", null, null).statusCode())
                .isEqualTo(404);
    }
}
