package dev.junction.connector.openapi;

import dev.junction.connector.http.HttpProbe;
import dev.junction.connector.http.InputSchema;
import dev.junction.connector.http.StatusErrors;
import dev.junction.engine.connector.CallContext;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One OpenAPI connection. The document is read once: an inline document when the session opens,
 * a {@code documentUrl} on first use (through the connection's client, so with its
 * authentication); a fetch that fails is tried again on the next use. Each operation's input
 * schema is compiled on its first call. Thread-safe.
 */
final class OpenApiSession implements ConnectorSession {
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    /** The document read, and the base of its operations' URLs ("" when the client applies config.baseUrl). */
    record Loaded(ApiDocument document, String base) {}

    private final ConnectorContext context;
    private final OpenApiConfig config;
    private final OperationCall caller;
    private final ReentrantLock loading = new ReentrantLock();
    private final Map<String, InputSchema> checks = new ConcurrentHashMap<>();
    private volatile Loaded loaded;

    OpenApiSession(OpenApiConfig config, ConnectorContext context) throws ConnectorException {
        this.context = context;
        this.config = config;
        this.caller = new OperationCall(context.http(), config.defaultHeaders(), context.clock());
        if (config.document() != null) {
            this.loaded = load(config.document(), "config.document", null);
        }
    }

    @Override
    public Object invoke(String operation, Object input, CallContext call) throws ConnectorException {
        Loaded api = loaded();
        ApiOperation op = api.document().operations().get(operation);
        if (op == null) {
            List<String> some = api.document().someNames(5);
            int more = api.document().operations().size() - some.size();
            throw new ConnectorException(
                    "OPERATION_NOT_FOUND",
                    "this connection's OpenAPI document has no operation '%s'; it has %s%s"
                            .formatted(operation, String.join(", ", some), more > 0 ? " and " + more + " more" : ""),
                    false);
        }
        Object in = input == null ? Map.of() : input;
        String what = "input of operation '" + operation + "'";
        if (!(in instanceof Map<?, ?> fields)) {
            throw new ConnectorException(
                    "INPUT_INVALID",
                    what + " must be an object of its parameters (and 'body'), not "
                            + in.getClass().getSimpleName(),
                    false);
        }
        // a field that is null (a template over an absent value) is a parameter not given
        Map<String, Object> given = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v != null) {
                given.put(String.valueOf(k), v);
            }
        });
        check(op).check(given, what);
        return caller.perform(op, given, api.base(), call);
    }

    @Override
    public TestResult test() {
        long t0 = System.nanoTime();
        Loaded api;
        try {
            api = loaded();
        } catch (ConnectorException e) {
            return TestResult.failed(Duration.ofNanos(System.nanoTime() - t0), e);
        }
        String url = api.base().isEmpty() ? "" : api.base() + "/";
        return HttpProbe.probe(
                context.http(),
                new OutboundHttp.Request("GET", url, config.defaultHeaders(), Map.of(), null, TEST_TIMEOUT));
    }

    /**
     * The document's operations; fetches it first when it comes from a URL.
     *
     * @throws IllegalStateException caused by the {@link ConnectorException} ({@code CONFIG_INVALID},
     *     {@code CONNECTION}, {@code HTTP_4XX}, ...) when the document cannot be fetched or used: the
     *     SPI method declares no checked exception
     */
    @Override
    public List<ConnectorDescriptor.Operation> operations() {
        try {
            return loaded().document().operations().values().stream()
                    .map(ApiOperation::descriptor)
                    .toList();
        } catch (ConnectorException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private InputSchema check(ApiOperation op) throws ConnectorException {
        InputSchema known = checks.get(op.name());
        if (known != null) {
            return known;
        }
        try {
            InputSchema compiled = InputSchema.of(op.inputSchema());
            checks.put(op.name(), compiled);
            return compiled;
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(
                    "CONFIG_INVALID",
                    "the schema of operation '%s' (%s %s) cannot be used: %s"
                            .formatted(op.name(), op.method(), op.path(), e.getMessage()),
                    false);
        }
    }

    private Loaded loaded() throws ConnectorException {
        Loaded l = loaded;
        if (l != null) {
            return l;
        }
        loading.lock();
        try {
            if (loaded == null) {
                loaded = fetch();
            }
            return loaded;
        } finally {
            loading.unlock();
        }
    }

    private Loaded fetch() throws ConnectorException {
        String url = config.documentUrl();
        OutboundHttp.Response r;
        try {
            r = context.http()
                    .send(new OutboundHttp.Request("GET", url, config.defaultHeaders(), Map.of(), null, FETCH_TIMEOUT));
        } catch (ConnectorException e) {
            throw new ConnectorException(
                    e.code(),
                    "fetching the OpenAPI document (config.documentUrl) failed: " + e.getMessage(),
                    e.retryable(),
                    e.retryAfter(),
                    null,
                    e);
        }
        if (r.status() < 200 || r.status() > 299) {
            ConnectorException e = StatusErrors.of("GET", url, r, context.clock());
            throw new ConnectorException(
                    e.code(),
                    "fetching the OpenAPI document (config.documentUrl) failed: " + e.getMessage(),
                    e.retryable(),
                    e.retryAfter(),
                    null,
                    e);
        }
        return load(r.text(), "the document at config.documentUrl " + url, config.absoluteDocumentUrl());
    }

    private Loaded load(Object source, String where, String documentUrl) throws ConnectorException {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree =
                source instanceof Map<?, ?> m ? (Map<String, Object>) m : DocumentReader.read((String) source, where);
        ApiDocument document = ApiDocument.read(tree, where);
        String base = config.baseUrl() != null ? "" : ServerUrl.of(tree, documentUrl, where);
        return new Loaded(document, base);
    }
}
