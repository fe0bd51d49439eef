package dev.junction.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default outbound policy, wired into the server: a flow aimed at loopback is refused. */
class OutboundPolicyTest {
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of("JUNCTION_OUTBOUND_ALLOW", ""));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anHttpStepAimedAtLoopbackFailsWithAddressBlockedAndIsNotRetried() throws Exception {
        String flow = """
                id: ssrf
                trigger: { type: manual }
                steps:
                  - id: probe
                    type: http
                    url: %s/actuator/health
                """.formatted(server.baseUrl());
        assertThat(server.api("POST", "/api/v1/flows", "application/yaml", flow).statusCode())
                .isEqualTo(201);
        var started = TestServer.json(server.api("POST", "/api/v1/flows/ssrf/runs", "application/json", "{}"));
        Map<String, Object> run = server.awaitFinished(String.valueOf(started.get("runId")));
        assertThat(run.get("status")).isEqualTo("FAILED");
        assertThat(String.valueOf(run.get("error"))).contains("ADDRESS_BLOCKED");
        var attempts = server.api("GET", "/api/v1/runs/" + started.get("runId"), null, null);
        assertThat(attempts.body()).contains("\"attempt\":1").doesNotContain("\"attempt\":2");
    }
}
