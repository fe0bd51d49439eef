package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.json.Json;
import dev.junction.engine.port.Connections;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code call} steps, {@code http} steps with a connection, and secrets kept out of run data. */
class ConnectionStepsTest {
    private static final String SECRET = "s3cr3t-Value-42";
    private static HttpServer server;
    private static String base;
    private static final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/orders", ex -> {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] bytes = ("{\"path\": \"" + ex.getRequestURI().getPath() + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    /** One connection, "crm": its operations echo their input; its HTTP client signs with a bearer token. */
    private static final class FakeConnections implements Connections {
        @Override
        public Object call(String workspaceId, String connectionId, String operation, Object input, CallContext ctx)
                throws ConnectorException {
            if (!connectionId.equals("crm")) {
                throw Connections.notFound(connectionId);
            }
            if (operation.equals("explode")) {
                throw new ConnectorException("SQL_ERROR", "far side refused " + SECRET, false);
            }
            return Map.of("operation", operation, "echo", input, "key", ctx.idempotencyKey());
        }

        @Override
        public OutboundHttp http(String workspaceId, String connectionId) throws ConnectorException {
            if (!connectionId.equals("crm")) {
                throw Connections.notFound(connectionId);
            }
            return HttpCaller.standard()
                    .forConnection(null, base, r -> r.withHeader("Authorization", "Bearer token-of-crm"));
        }

        @Override
        public Map<String, String> secrets(String workspaceId) {
            return Map.of("apiPassword", SECRET);
        }
    }

    private final EngineHarness h = new EngineHarness(new FakeConnections());

    @Test
    void callStepInvokesTheConnectionWithItsRenderedInputAndAStepIdempotencyKey() {
        Run run = h.run("""
                id: call-flow
                trigger: { type: manual }
                steps:
                  - id: find
                    type: call
                    connection: crm
                    operation: findCustomer
                    input: { email: "{{ trigger.body.email }}" }
                """, Map.of("email", "ada@example.com"));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(Json.write(run.output()))
                .contains("\"operation\":\"findCustomer\"")
                .contains("\"email\":\"ada@example.com\"")
                .contains("\"key\":\"" + run.id() + ":find\"");
    }

    @Test
    void anUnknownConnectionFailsTheStepWithAStableCode() {
        Run run = h.run("""
                id: call-missing
                trigger: { type: manual }
                steps:
                  - id: find
                    type: call
                    connection: nope
                    operation: findCustomer
                """, Map.of());
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().code()).isEqualTo("CONNECTION_NOT_FOUND");
    }

    @Test
    void httpStepWithAConnectionUsesItsBaseUrlAndAuthentication() {
        Run run = h.run("""
                id: http-conn
                trigger: { type: manual }
                steps:
                  - id: get
                    type: http
                    connection: crm
                    url: orders/17
                """, Map.of());
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(Json.write(run.output())).contains("/api/orders/17");
        assertThat(authorizations).contains("Bearer token-of-crm");
    }

    @Test
    void secretsAreUsableInTemplatesButNeverStoredInRunData() {
        Run run = h.run("""
                id: secret-flow
                trigger: { type: manual }
                steps:
                  - id: use
                    type: call
                    connection: crm
                    operation: login
                    input: { password: "{{ secrets.apiPassword }}" }
                  - id: fail
                    type: call
                    connection: crm
                    operation: explode
                """, Map.of());
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        List<StepAttempt> attempts = h.attempts(run);
        assertThat(attempts)
                .as("each attempt records the connection its step called")
                .extracting(StepAttempt::connectionId)
                .containsOnly("crm");
        String stored = Json.write(attempts.stream()
                        .map(a -> List.of(
                                String.valueOf(a.input()), String.valueOf(a.output()), String.valueOf(a.error())))
                        .toList())
                + run.error().message();
        assertThat(stored).doesNotContain(SECRET).contains("***");
    }
}
