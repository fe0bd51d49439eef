package dev.junction.connector.http;

import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One HTTP connection: its default headers and the platform client. Thread-safe (immutable). */
final class HttpSession implements ConnectorSession {
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    private final ConnectorContext context;
    private final RequestOperation request;
    private final Map<String, String> defaultHeaders;
    private final String testPath;

    HttpSession(String baseUrl, Map<String, String> defaultHeaders, String testPath, ConnectorContext context) {
        this.context = context;
        this.defaultHeaders = Map.copyOf(defaultHeaders);
        this.testPath = testPath;
        this.request = new RequestOperation(context.http(), this.defaultHeaders, context.clock(), baseUrl);
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        if (!"request".equals(operation)) {
            throw new ConnectorException(
                    "OPERATION_NOT_FOUND",
                    "the http connector has one operation, 'request', not '" + operation + "'",
                    false);
        }
        return request.perform(input, call);
    }

    @Override
    public TestResult test() {
        return HttpProbe.probe(
                context.http(),
                new OutboundHttp.Request("GET", testPath, defaultHeaders, Map.of(), null, TEST_TIMEOUT));
    }

    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        return HttpConnector.DESCRIPTOR.operations();
    }
}
