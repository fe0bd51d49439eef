package dev.junction.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.Connector;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.HttpAuthorizer;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.json.Json;
import dev.junction.engine.json.JsonSchemas;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP connector against a real HTTP server on loopback, through the platform's client. */
class HttpConnectorTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final CallContext CALL = new CallContext("run-1", "step", "run-1:step", Duration.ofSeconds(5));
    private static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);

    private static HttpServer server;
    private static String base;
    private static final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    /** One request as the server saw it. */
    record Received(String method, String path, String query, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Map<String, String> queryParams() {
            return decodeForm(query == null ? "" : query);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/echo", ex -> {
            record(ex);
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().add("X-Seen", "head");
                ex.sendResponseHeaders(200, -1);
                ex.close();
                return;
            }
            reply(ex, 200, Json.write(Map.of("ok", true)), Map.of());
        });
        server.createContext("/secure", ex -> {
            record(ex);
            if ("Bearer t-1".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 200, "{\"secret\":42}", Map.of());
            } else {
                reply(ex, 401, "{\"error\":\"bad token\"}", Map.of("WWW-Authenticate", "Bearer"));
            }
        });
        server.createContext("/linked", ex -> {
            record(ex);
            Map<String, String> q = decodeForm(String.valueOf(ex.getRequestURI().getRawQuery()));
            int page = Integer.parseInt(q.getOrDefault("p", "1"));
            Map<String, String> headers = page < 3
                    ? Map.of(
                            "Link",
                            "<" + base + "/linked?p=1>; rel=\"first\", <" + base + "/linked?p=" + (page + 1)
                                    + ">; rel=\"next\"")
                    : Map.of("Link", "<" + base + "/linked?p=1>; rel=\"first\"");
            reply(ex, 200, Json.write(List.of(page * 10, page * 10 + 1)), headers);
        });
        // relative links below a base URL with a path: /api/rel?p=2 (absolute path), then rel?p=3
        server.createContext("/api/rel", ex -> {
            record(ex);
            String query = String.valueOf(ex.getRequestURI().getRawQuery());
            int page = query.contains("p=3") ? 3 : query.contains("p=2") ? 2 : 1;
            Map<String, String> headers =
                    switch (page) {
                        case 1 -> Map.of("Link", "</api/rel?p=2>; title=\"a, b\"; rel=\"prev next\"");
                        case 2 -> Map.of("Link", "<rel?p=3>; rel=next");
                        default -> Map.of();
                    };
            reply(ex, 200, Json.write(Map.of("data", List.of("p" + page))), headers);
        });
        server.createContext("/cursor", ex -> {
            record(ex);
            String q = String.valueOf(ex.getRequestURI().getQuery());
            String body = q.contains("after=b")
                    ? Json.write(Map.of("data", List.of("c"), "meta", Map.of("next", "")))
                    : Json.write(Map.of("data", List.of("a", "b"), "meta", Map.of("next", "b")));
            reply(ex, 200, body, Map.of());
        });
        server.createContext("/stuck-cursor", ex -> {
            record(ex);
            reply(ex, 200, Json.write(Map.of("items", List.of(1), "next", "same")), Map.of());
        });
        server.createContext("/paged", ex -> {
            record(ex);
            Map<String, String> q = decodeForm(String.valueOf(ex.getRequestURI().getRawQuery()));
            int page = Integer.parseInt(q.getOrDefault("pg", "0"));
            String body =
                    switch (page) {
                        case 0 -> "{\"rows\":[1,2]}";
                        case 1 -> "{\"rows\":[3]}";
                        default -> "{\"rows\":[]}";
                    };
            reply(ex, 200, body, Map.of());
        });
        server.createContext("/status", ex -> {
            record(ex);
            Map<String, String> q = decodeForm(String.valueOf(ex.getRequestURI().getRawQuery()));
            Map<String, String> headers = new HashMap<>();
            if (q.containsKey("retryAfter")) {
                headers.put("Retry-After", q.get("retryAfter"));
            }
            reply(ex, Integer.parseInt(q.get("code")), q.getOrDefault("say", "{\"error\":\"nope\"}"), headers);
        });
        server.createContext("/slow", ex -> {
            record(ex);
            try {
                RELEASE_SLOW.await(5, TimeUnit.SECONDS); // the far side is slow; the client gives up first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, 200, "{}", Map.of());
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        RELEASE_SLOW.countDown();
        server.stop(0);
    }

    @BeforeEach
    void clear() {
        received.clear();
    }

    private static void record(HttpExchange ex) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
        received.add(new Received(
                ex.getRequestMethod(),
                ex.getRequestURI().getRawPath(),
                ex.getRequestURI().getRawQuery(),
                headers,
                ex.getRequestBody().readAllBytes()));
    }

    private static void reply(HttpExchange ex, int status, String json, Map<String, String> headers)
            throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    static Map<String, String> decodeForm(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty() || text.equals("null")) {
            return out;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.merge(k, v, (a, b) -> a + "," + b);
        }
        return out;
    }

    /** A multipart/form-data part: its name, filename, content type and content. */
    record Part(String name, String filename, String contentType, String content) {}

    /** A minimal multipart/form-data parser: enough to see what the connector sent. */
    static List<Part> parseMultipart(String contentType, byte[] body) {
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        String text = new String(body, StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        for (String chunk : text.split("--" + java.util.regex.Pattern.quote(boundary))) {
            if (chunk.isBlank() || chunk.startsWith("--")) {
                continue;
            }
            String part = chunk.substring(2, chunk.length() - 2); // the CRLFs around the part
            int split = part.indexOf("\r\n\r\n");
            String head = part.substring(0, split);
            String content =
                    new String(part.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            String name = attribute(head, "name");
            String filename = attribute(head, "filename");
            String type = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    type = line.substring("content-type:".length()).strip();
                }
            }
            parts.add(new Part(name, filename, type, content));
        }
        return parts;
    }

    private static String attribute(String head, String name) {
        var m = java.util.regex.Pattern.compile("[; ]" + name + "=\"([^\"]*)\"").matcher(head);
        return m.find() ? m.group(1) : null;
    }

    private static ConnectorSession session(Map<String, Object> config) throws ConnectorException {
        return session(config, request -> request.withHeader("Authorization", "Bearer t-1"));
    }

    private static ConnectorSession session(Map<String, Object> config, HttpAuthorizer auth) throws ConnectorException {
        Object baseUrl = config.get("baseUrl");
        OutboundHttp client =
                HttpCaller.standard().forConnection(null, baseUrl == null ? null : String.valueOf(baseUrl), auth);
        return new HttpConnector()
                .open(new ConnectionConfig("default", "c", config, Map.of()), new TestContext(client));
    }

    /** The platform's side as a connector sees it, over the real client. */
    record TestContext(OutboundHttp http) implements ConnectorContext {
        @Override
        public AddressPolicy addresses() {
            return AddressPolicy.allowingAll();
        }

        @Override
        public Clock clock() {
            return CLOCK;
        }
    }

    private static Object call(Map<String, Object> input) throws ConnectorException {
        return session(Map.of("baseUrl", base + "/")).invoke("request", input, CALL);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static Received only() {
        assertThat(received).hasSize(1);
        return received.peek();
    }

    private static ConnectorException failure(Map<String, Object> input) {
        try {
            call(input);
        } catch (ConnectorException e) {
            return e;
        }
        throw new AssertionError("expected a ConnectorException for " + input);
    }

    // ---- descriptor -------------------------------------------------------------------------

    @Test
    void isFoundByServiceLoaderWithSchemasFromResources() {
        ConnectorDescriptor d = ServiceLoader.load(Connector.class).stream()
                .map(p -> p.get().describe())
                .filter(x -> x.id().equals("http"))
                .findFirst()
                .orElseThrow();
        assertThat(d.name()).isEqualTo("HTTP / REST");
        assertThat(d.authTypes()).isEqualTo(ConnectorDescriptor.HTTP_AUTH_TYPES);
        assertThat(d.configSchema().get("required")).isEqualTo(List.of("baseUrl"));
        assertThat(JsonSchemas.check(d.configSchema())).isNull();
        ConnectorDescriptor.Operation request = d.operations().getFirst();
        assertThat(request.name()).isEqualTo("request");
        assertThat(JsonSchemas.check(request.inputSchema())).isNull();
        assertThat(JsonSchemas.check(request.outputSchema())).isNull();
        assertThat(asMap(request.inputSchema().get("properties")))
                .containsKeys("method", "path", "query", "headers", "body", "bodyType", "acceptStatus", "paginate");
        assertThat(JsonSchemas.validate(d.configSchema(), Map.of("baseUrl", "ftp://x")))
                .isNotEmpty();
        assertThat(JsonSchemas.validate(d.configSchema(), Map.of("baseUrl", "https://api.example.com/v1")))
                .isEmpty();
    }

    @Test
    void openRefusesAMissingOrNonHttpBaseUrl() {
        assertThatThrownBy(() -> session(Map.of())).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.code()).isEqualTo("CONFIG_INVALID");
            assertThat(e.getMessage()).contains("config.baseUrl");
        });
        assertThatThrownBy(() -> session(Map.of("baseUrl", "ftp://files.example.com/")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo("CONFIG_INVALID");
                    assertThat(e.getMessage()).contains("ftp://files.example.com/");
                });
        assertThatThrownBy(() -> session(Map.of("baseUrl", base, "defaultHeaders", Map.of("X-N", 1))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.getMessage())
                        .contains("config.defaultHeaders.X-N"));
    }

    // ---- bodies -----------------------------------------------------------------------------

    @Test
    void sendsJsonBodies() throws Exception {
        call(Map.of("method", "POST", "path", "echo", "body", Map.of("a", 1, "b", List.of("x", "y"))));
        Received r = only();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(Json.read(r.text())).isEqualTo(Map.of("a", 1, "b", List.of("x", "y")));

        received.clear();
        call(Map.of(
                "method", "PATCH",
                "path", "echo",
                "bodyType", "json",
                "headers", Map.of("content-type", "application/merge-patch+json"),
                "body", Map.of("n", 2)));
        assertThat(only().header("content-type")).isEqualTo("application/merge-patch+json");
        assertThat(only().text()).isEqualTo("{\"n\":2}");
    }

    @Test
    void sendsFormBodies() throws Exception {
        call(Map.of(
                "method",
                "POST",
                "path",
                "echo",
                "bodyType",
                "form",
                "body",
                Map.of("q", "a b&c", "n", 2, "tag", List.of("x", "y"))));
        Received r = only();
        assertThat(r.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(decodeForm(r.text()))
                .containsEntry("q", "a b&c")
                .containsEntry("n", "2")
                .containsEntry("tag", "x,y");
        assertThat(r.text()).contains("tag=x&tag=y");
    }

    @Test
    void sendsMultipartBodiesWithFilesAndFields() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("note", "für dich");
        body.put("file", Map.of("filename", "a.csv", "contentType", "text/csv", "content", "x,y\n1,2"));
        body.put(
                "logo",
                Map.of(
                        "filename",
                        "logo.bin",
                        "base64",
                        Base64.getEncoder().encodeToString("PNG!".getBytes(StandardCharsets.UTF_8))));
        call(Map.of("method", "POST", "path", "echo", "bodyType", "multipart", "body", body));
        Received r = only();
        assertThat(r.header("content-type")).startsWith("multipart/form-data; boundary=");
        assertThat(parseMultipart(r.header("content-type"), r.body()))
                .containsExactly(
                        new Part("note", null, null, "für dich"),
                        new Part("file", "a.csv", "text/csv", "x,y\n1,2"),
                        new Part("logo", "logo.bin", "application/octet-stream", "PNG!"));
    }

    @Test
    void multipartKeepsItsBoundaryWhenTheHeadersNameTheType() throws Exception {
        call(Map.of(
                "method",
                "POST",
                "path",
                "echo",
                "headers",
                Map.of("Content-Type", "multipart/form-data"),
                "body",
                Map.of("a", "1")));
        Received r = only();
        assertThat(parseMultipart(r.header("content-type"), r.body())).containsExactly(new Part("a", null, null, "1"));
    }

    @Test
    void sendsTextBodies() throws Exception {
        call(Map.of("method", "PUT", "path", "echo", "bodyType", "text", "body", "hello, wörld"));
        Received r = only();
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.text()).isEqualTo("hello, wörld");
    }

    // ---- request shape ----------------------------------------------------------------------

    @Test
    void sendsEveryMethodWithQueryHeadersAndAbsoluteUrls() throws Exception {
        Map<?, ?> head = (Map<?, ?>) call(Map.of("method", "head", "path", "echo"));
        assertThat(head.get("status")).isEqualTo(200);
        assertThat(head.get("body")).isNull();
        assertThat(asMap(head.get("headers"))).containsEntry("x-seen", "head");
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            call(Map.of("method", method, "path", "/echo"));
        }
        assertThat(received.stream().map(Received::method))
                .containsExactly("HEAD", "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

        received.clear();
        Map<?, ?> out = (Map<?, ?>) session(Map.of(
                        "baseUrl",
                        "http://127.0.0.1:1/unused/",
                        "defaultHeaders",
                        Map.of("X-Tenant", "t1", "X-Trace", "default")))
                .invoke(
                        "request",
                        Map.of(
                                "path", base + "/echo/a%20b?fixed=1",
                                "query", Map.of("q", "a&b ü", "n", 3, "tag", List.of("x", "y")),
                                "headers", Map.of("x-trace", "mine", "X-Flag", true)),
                        CALL);
        assertThat(out.get("body")).isEqualTo(Map.of("ok", true));
        Received r = only();
        assertThat(r.path()).isEqualTo("/echo/a%20b");
        assertThat(r.queryParams())
                .containsEntry("fixed", "1")
                .containsEntry("q", "a&b ü")
                .containsEntry("n", "3")
                .containsEntry("tag", "x,y");
        assertThat(r.header("x-tenant")).isEqualTo("t1");
        assertThat(r.header("x-trace")).isEqualTo("mine");
        assertThat(r.header("x-flag")).isEqualTo("true");
    }

    @Test
    void sendsTheIdempotencyKeyUnlessTheInputSetsOne() throws Exception {
        call(Map.of("method", "POST", "path", "echo"));
        assertThat(only().header("idempotency-key")).isEqualTo("run-1:step");
        received.clear();
        call(Map.of("method", "POST", "path", "echo", "headers", Map.of("idempotency-key", "mine-7")));
        assertThat(only().header("idempotency-key")).isEqualTo("mine-7");
        received.clear();
        session(Map.of("baseUrl", base))
                .invoke("request", Map.of("path", "echo"), CallContext.test(Duration.ofSeconds(5)));
        assertThat(only().header("idempotency-key")).isNull();
    }

    @Test
    void appliesTheConnectionsAuthentication() throws Exception {
        Map<?, ?> out = (Map<?, ?>) call(Map.of("path", "secure"));
        assertThat(out.get("body")).isEqualTo(Map.of("secret", 42));
        assertThat(only().header("authorization")).isEqualTo("Bearer t-1");

        ConnectorSession anonymous = session(Map.of("baseUrl", base), HttpAuthorizer.NONE);
        assertThatThrownBy(() -> anonymous.invoke("request", Map.of("path", "secure"), CALL))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo("HTTP_4XX");
                    assertThat(e.getMessage()).isEqualTo("GET secure answered 401: {\"error\":\"bad token\"}");
                });
    }

    @Test
    void honoursTheCallTimeout() throws Exception {
        ConnectorSession s = session(Map.of("baseUrl", base));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> s.invoke(
                        "request",
                        Map.of("path", "slow"),
                        new CallContext("run-1", "step", null, Duration.ofMillis(200))))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo("TIMEOUT");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }

    // ---- statuses ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        "400, HTTP_4XX, false",
        "404, HTTP_4XX, false",
        "408, HTTP_408, true",
        "409, HTTP_4XX, false",
        "425, HTTP_425, true",
        "429, HTTP_429, true",
        "500, HTTP_5XX, true",
        "503, HTTP_5XX, true"
    })
    void mapsStatusesLikeTheHttpStep(int status, String code, boolean retryable) {
        ConnectorException e = failure(Map.of("path", "status", "query", Map.of("code", status, "key", "secret")));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.getMessage()).isEqualTo("GET status answered " + status + ": {\"error\":\"nope\"}");
        assertThat(asMap(e.output())).containsEntry("status", status).containsEntry("body", Map.of("error", "nope"));
    }

    @Test
    void takesRetryAfterAsSecondsOrAnHttpDate() {
        ConnectorException seconds = failure(Map.of("path", "status", "query", Map.of("code", 429, "retryAfter", "7")));
        assertThat(seconds.code()).isEqualTo("HTTP_429");
        assertThat(seconds.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atZone(ZoneOffset.UTC));
        ConnectorException dated = failure(Map.of("path", "status", "query", Map.of("code", 503, "retryAfter", date)));
        assertThat(dated.code()).isEqualTo("HTTP_5XX");
        assertThat(dated.retryAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(failure(Map.of("path", "status", "query", Map.of("code", 429)))
                        .retryAfter())
                .isNull();
    }

    @Test
    void abbreviatesLongAnswersInTheMessage() {
        String longBody = "x".repeat(2000);
        ConnectorException e = failure(Map.of("path", "status", "query", Map.of("code", 422, "say", longBody)));
        assertThat(e.getMessage()).startsWith("GET status answered 422: xxx").endsWith("...");
        assertThat(e.getMessage().length()).isBetween(500, 540);
    }

    @Test
    void acceptsTheStatusesTheInputNames() throws Exception {
        Map<?, ?> missing = (Map<?, ?>)
                call(Map.of("path", "status", "query", Map.of("code", 404), "acceptStatus", List.of(200, 404)));
        assertThat(missing.get("status")).isEqualTo(404);
        assertThat(call(Map.of("path", "status", "query", Map.of("code", 410), "acceptStatus", List.of("4xx"))))
                .isNotNull();
        assertThat(call(Map.of("path", "status", "query", Map.of("code", 302), "acceptStatus", List.of("300-399"))))
                .isNotNull();
        assertThat(failure(Map.of("path", "echo", "acceptStatus", List.of(201))).code())
                .isEqualTo("HTTP_4XX");
    }

    // ---- pagination -------------------------------------------------------------------------

    @Test
    void followsLinkHeaders() throws Exception {
        Map<?, ?> linked = (Map<?, ?>) call(Map.of("path", "linked", "paginate", Map.of("style", "link")));
        assertThat(linked.get("items")).isEqualTo(List.of(10, 11, 20, 21, 30, 31));
        assertThat(linked.get("pages")).isEqualTo(3);
        assertThat(linked.get("truncated")).isEqualTo(false);
        assertThat(received)
                .allSatisfy(r -> assertThat(r.header("authorization")).isEqualTo("Bearer t-1"));
    }

    @Test
    void resolvesRelativeLinksAgainstThePageUrl() throws Exception {
        Map<?, ?> out = (Map<?, ?>) session(Map.of("baseUrl", base + "/api"))
                .invoke(
                        "request",
                        Map.of("path", "rel", "paginate", Map.of("style", "link", "itemsPath", "data")),
                        CALL);
        assertThat(out.get("items")).isEqualTo(List.of("p1", "p2", "p3"));
        assertThat(received.stream().map(r -> r.path() + "?" + r.query()))
                .containsExactly("/api/rel?null", "/api/rel?p=2", "/api/rel?p=3");
    }

    @Test
    void followsCursors() throws Exception {
        Map<?, ?> cursor = (Map<?, ?>) call(Map.of(
                "path",
                "cursor",
                "query",
                Map.of("status", "open"),
                "paginate",
                Map.of("style", "cursor", "itemsPath", "data", "cursorPath", "meta.next", "cursorParam", "after")));
        assertThat(cursor.get("items")).isEqualTo(List.of("a", "b", "c"));
        assertThat(cursor.get("pages")).isEqualTo(2);
        assertThat(received.stream().map(Received::queryParams))
                .containsExactly(Map.of("status", "open"), Map.of("status", "open", "after", "b"));

        received.clear();
        Map<?, ?> stuck = (Map<?, ?>) call(Map.of(
                "path",
                "stuck-cursor",
                "paginate",
                Map.of("style", "cursor", "itemsPath", "items", "cursorPath", "next")));
        assertThat(stuck.get("pages")).isEqualTo(2); // the same cursor again ends the walk
        assertThat(stuck.get("items")).isEqualTo(List.of(1, 1));
    }

    @Test
    void countsPagesUntilAnEmptyOne() throws Exception {
        Map<?, ?> paged = (Map<?, ?>) call(Map.of(
                "path",
                "paged",
                "paginate",
                Map.of(
                        "style", "page",
                        "pageParam", "pg",
                        "startPage", 0,
                        "sizeParam", "per_page",
                        "size", 2,
                        "itemsPath", "rows")));
        assertThat(paged.get("items")).isEqualTo(List.of(1, 2, 3));
        assertThat(paged.get("pages")).isEqualTo(3);
        assertThat(received.stream().map(Received::queryParams))
                .containsExactly(
                        Map.of("pg", "0", "per_page", "2"),
                        Map.of("pg", "1", "per_page", "2"),
                        Map.of("pg", "2", "per_page", "2"));
    }

    @Test
    void stopsAtMaxPagesAndSaysSo() throws Exception {
        Map<?, ?> capped =
                (Map<?, ?>) call(Map.of("path", "linked", "paginate", Map.of("style", "link", "maxPages", 2)));
        assertThat(capped.get("truncated")).isEqualTo(true);
        assertThat(capped.get("pages")).isEqualTo(2);
        assertThat(capped.get("items")).isEqualTo(List.of(10, 11, 20, 21));
        assertThat(received).hasSize(2);
    }

    @Test
    void failsWhenThePageIsNotAnArray() {
        ConnectorException e = failure(Map.of("path", "cursor", "paginate", Map.of("style", "page")));
        assertThat(e.code()).isEqualTo("STEP_FAILED");
        assertThat(e.getMessage()).contains("itemsPath");
    }

    @Test
    void aFailingPageFailsTheCall() {
        ConnectorException e =
                failure(Map.of("path", "status", "query", Map.of("code", 500), "paginate", Map.of("style", "page")));
        assertThat(e.code()).isEqualTo("HTTP_5XX");
    }

    // ---- input ------------------------------------------------------------------------------

    @Test
    void refusesBadInputNamingTheField() {
        assertThat(failure(Map.of("method", "FETCH")))
                .satisfies(e -> assertThat(e.code()).isEqualTo("INPUT_INVALID"))
                .satisfies(e -> assertThat(e.getMessage()).contains("/method"));
        assertThat(failure(Map.of("paht", "orders")).getMessage()).contains("/paht: not a field of this input");
        assertThat(failure(Map.of("path", 7)).getMessage()).contains("/path");
        assertThat(failure(Map.of("bodyType", "xml")).getMessage()).contains("/bodyType");
        assertThat(failure(Map.of("acceptStatus", List.of("abc"))).getMessage()).contains("/acceptStatus/0");
        assertThat(failure(Map.of("paginate", Map.of())).getMessage()).contains("/paginate/style: required");
        assertThat(failure(Map.of("paginate", Map.of("style", "link", "maxPages", 0)))
                        .getMessage())
                .contains("/paginate/maxPages");
        assertThat(failure(Map.of("paginate", Map.of("style", "cursor"))).getMessage())
                .contains("paginate.cursorPath");
        assertThatThrownBy(() -> session(Map.of("baseUrl", base)).invoke("request", List.of(1), CALL))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo("INPUT_INVALID"));
        assertThat(received).isEmpty();
    }

    @Test
    void refusesUnknownOperations() {
        assertThatThrownBy(() -> session(Map.of("baseUrl", base)).invoke("fetch", Map.of(), CALL))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo("OPERATION_NOT_FOUND"));
    }

    // ---- test connection --------------------------------------------------------------------

    @Test
    void testReportsReachabilityAndLatency() throws Exception {
        TestResult ok =
                session(Map.of("baseUrl", base + "/", "testPath", "echo")).test();
        assertThat(ok.ok()).isTrue();
        assertThat(ok.latencyMillis()).isGreaterThanOrEqualTo(0);
        assertThat(ok.message()).contains("200");
        assertThat(only().path()).isEqualTo("/echo");

        received.clear();
        TestResult root = session(Map.of("baseUrl", base + "/echo")).test(); // testPath defaults to "/"
        assertThat(root.ok()).isTrue();
        assertThat(only().path()).isEqualTo("/echo/");

        TestResult notFound =
                session(Map.of("baseUrl", base, "testPath", "status?code=404")).test();
        assertThat(notFound.ok()).isTrue(); // an answer proves the far side is there
    }

    @Test
    void testReportsAuthFailuresVerbatim() throws Exception {
        TestResult denied = session(Map.of("baseUrl", base, "testPath", "secure"), HttpAuthorizer.NONE)
                .test();
        assertThat(denied.ok()).isFalse();
        assertThat(denied.code()).isEqualTo("AUTH_FAILED");
        assertThat(denied.message()).endsWith("answered 401: {\"error\":\"bad token\"}");

        TestResult forbidden = session(Map.of("baseUrl", base, "testPath", "status?code=403&say=" + "no+".repeat(400)))
                .test();
        assertThat(forbidden.code()).isEqualTo("AUTH_FAILED");
        assertThat(forbidden.message()).contains("no no no").endsWith("...");
        assertThat(forbidden.message().length()).isLessThan(600);
    }

    @Test
    void testReportsServerErrorsAndConnectionProblemsWithoutThrowing() throws Exception {
        TestResult broken =
                session(Map.of("baseUrl", base, "testPath", "status?code=502")).test();
        assertThat(broken.ok()).isFalse();
        assertThat(broken.code()).isEqualTo("HTTP_5XX");
        TestResult down = session(Map.of("baseUrl", "http://127.0.0.1:1/")).test();
        assertThat(down.ok()).isFalse();
        assertThat(down.code()).isEqualTo("CONNECTION");
        assertThat(down.message()).contains("127.0.0.1:1");
    }

    @Test
    void nextLinkParsesRfc8288() {
        assertThat(RequestOperation.nextLink("<https://a/x?page=2>; rel=\"next\""))
                .isEqualTo("https://a/x?page=2");
        assertThat(RequestOperation.nextLink("<https://a/1>; rel=\"prev\", <https://a/3>; rel=\"next\""))
                .isEqualTo("https://a/3");
        assertThat(RequestOperation.nextLink("<https://a/3>; REL=\"last next\""))
                .isEqualTo("https://a/3");
        assertThat(RequestOperation.nextLink("<https://a/,3>; title=\"x, rel=next\"; rel=last"))
                .isNull();
        assertThat(RequestOperation.nextLink("<https://a/3>; rel=nextpage")).isNull();
        assertThat(RequestOperation.nextLink(null)).isNull();
    }
}
