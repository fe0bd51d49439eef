package dev.junction.server.connection;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-only connector over real HTTP: operation {@code get} fetches a path through the platform's
 * client (so base URL, auth, address policy apply) and sends its write-only config {@code token} as
 * {@code X-Config-Token}; "test" GETs the base URL.
 */
public final class EchoConnector implements Connector {
    @Override
    public ConnectorDescriptor describe() {
        Map<String, Object> schema = Map.of(
                "type",
                "object",
                "required",
                List.of("baseUrl"),
                "additionalProperties",
                false,
                "properties",
                Map.of(
                        "baseUrl",
                        Map.of("type", "string", "pattern", "^https?://"),
                        "token",
                        Map.of("type", "string", "writeOnly", true)));
        return new ConnectorDescriptor(
                "test-echo",
                "Test echo",
                "GETs paths of a base URL",
                schema,
                List.of("none", "basic", "apiKey", "bearer"),
                List.of(new ConnectorDescriptor.Operation(
                        "get", "GET a path", Map.of("type", "object"), Map.of(), false)),
                List.of(),
                false);
    }

    @Override
    public ConnectorSession open(ConnectionConfig config, ConnectorContext context) {
        String token = config.secrets().getOrDefault("token", "");
        return new ConnectorSession() {
            @Override
            public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
                if (!operation.equals("get")) {
                    throw new ConnectorException("OPERATION_NOT_FOUND", "no operation " + operation, false);
                }
                String path = input instanceof Map<?, ?> m ? String.valueOf(m.get("path")) : "";
                OutboundHttp.Response r = context.http()
                        .send(new OutboundHttp.Request(
                                "GET", path, Map.of("X-Config-Token", token), Map.of(), null, call.timeout()));
                if (r.status() >= 500) {
                    throw new ConnectorException("HTTP_5XX", "GET " + path + " answered " + r.status(), true);
                }
                Map<String, Object> out = new LinkedHashMap<>(r.toOutput());
                out.remove("headers");
                return out;
            }

            @Override
            public TestResult test() {
                long t0 = System.nanoTime();
                try {
                    OutboundHttp.Response r = context.http()
                            .send(new OutboundHttp.Request("GET", "", Map.of(), Map.of(), null, Duration.ofSeconds(5)));
                    Duration took = Duration.ofNanos(System.nanoTime() - t0);
                    return r.status() < 400
                            ? TestResult.ok(took, "answered " + r.status())
                            : TestResult.failed(took, "HTTP_" + r.status(), r.text());
                } catch (ConnectorException e) {
                    return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
                }
            }

            @Override
            public List<ConnectorDescriptor.Operation> operations() {
                return describe().operations();
            }
        };
    }
}
