package dev.junction.connector.http;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
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

/** One HTTP connection: its default headers and the platform client. Thread-safe (immutable). */
final class HttpSession implements ConnectorSession {
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    private final ConnectorContext context;
    private final Map<String, String> defaultHeaders;
    private final String testPath;

    HttpSession(ConnectionConfig config, ConnectorContext context) {
        this.context = context;
        Map<String, String> headers = new LinkedHashMap<>();
        if (config.config().get("defaultHeaders") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        }
        this.defaultHeaders = Map.copyOf(headers);
        this.testPath = config.text("testPath", "");
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        if (!"request".equals(operation)) {
            throw new ConnectorException(
                    "OPERATION_NOT_FOUND",
                    "the http connector has one operation, 'request', not '" + operation + "'",
                    false);
        }
        return new RequestOperation(context.http(), defaultHeaders, context.clock()).perform(input, call);
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        try {
            OutboundHttp.Response r = context.http()
                    .send(new OutboundHttp.Request("GET", testPath, defaultHeaders, Map.of(), null, TEST_TIMEOUT));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (r.status() == 401 || r.status() == 403) {
                return TestResult.failed(
                        took, "AUTH_FAILED", "answered " + r.status() + ": " + StatusErrors.abbreviate(r.text()));
            }
            if (r.status() >= 500) {
                return TestResult.failed(
                        took, "HTTP_5XX", "answered " + r.status() + ": " + StatusErrors.abbreviate(r.text()));
            }
            return TestResult.ok(took, "reachable, answered " + r.status());
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        }
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return HttpConnector.DESCRIPTOR.operations();
    }
}
