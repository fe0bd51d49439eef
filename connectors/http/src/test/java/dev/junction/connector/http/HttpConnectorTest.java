package dev.junction.connector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectionConfig;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.ConnectorSession;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.connector.TestResult;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP connector against a real HTTP server on loopback, through the platform's client. */
class HttpConnectorTest {
    private static HttpServer server;
    private static String base;
    private static final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " type="
                    + ex.getRequestHeaders().getFirst("Content-Type") + " key="
                    + ex.getRequestHeaders().getFirst("Idempotency-Key") + " auth="
                    + ex.getRequestHeaders().getFirst("Authorization") + " body=" + body);
            reply(ex, 200, Json.write(Map.of("ok", true)), Map.of());
        });
        server.createContext("/linked", ex -> {
            String q = String.valueOf(ex.getRequestURI().getQuery());
            int page = q.contains("p=2") ? 2 : q.contains("p=3") ? 3 : 1;
            Map<String, String> headers = page < 3
                    ? Map.of(
                            "Link",
                            "<" + base + "/linked?p=" + (page + 1) + ">; rel=\"next\", <" + base
                                    + "/linked?p=1>; rel=\"first\"")
                    : Map.of();
            reply(ex, 200, Json.write(List.of(page * 10, page * 10 + 1)), headers);
        });
        server.createContext("/cursor", ex -> {
            String q = String.valueOf(ex.getRequestURI().getQuery());
            String body = q.contains("after=b")
                    ? Json.write(Map.of("data", List.of("c"), "meta", Map.of()))
                    : Json.write(Map.of("data", List.of("a", "b"), "meta", Map.of("next", "b")));
            reply(ex, 200, body, Map.of());
        });
        server.createContext("/paged", ex -> {
            String q = String.valueOf(ex.getRequestURI().getQuery());
            String body = q.contains("page=1&") || q.endsWith("page=1") ? "[1,2]" : q.contains("page=2") ? "[3]" : "[]";
            reply(ex, 200, body, Map.of());
        });
        server.createContext("/busy", ex -> reply(ex, 429, "{\"error\":\"slow down\"}", Map.of("Retry-After", "7")));
        server.createContext("/missing", ex -> reply(ex, 404, "{\"error\":\"no such order\"}", Map.of()));
        server.createContext("/private", ex -> reply(ex, 401, "{\"error\":\"bad token\"}", Map.of()));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
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

    private static ConnectorSession session(Map<String, Object> config) throws ConnectorException {
        OutboundHttp client = HttpCaller.standard()
                .forConnection(
                        null, String.valueOf(config.get("baseUrl")), r -> r.withHeader("Authorization", "Bearer t-1"));
        ConnectorContext context = new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                return client;
            }

            @Override
            public AddressPolicy addresses() {
                return AddressPolicy.allowingAll();
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
        return new HttpConnector().open(new ConnectionConfig("default", "c", config, Map.of()), context);
    }

    private static final CallContext CALL = new CallContext("run-1", "step", "run-1:step", Duration.ofSeconds(5));

    private static Object call(Map<String, Object> input) throws ConnectorException {
        return session(Map.of("baseUrl", base + "/")).invoke("request", input, CALL);
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(dev.junction.engine.connector.Connector.class).stream()
                        .map(p -> p.get().describe().id()))
                .contains("http");
    }

    @Test
    void sendsJsonFormMultipartAndTextBodiesWithAuthAndTheIdempotencyKey() throws Exception {
        requests.clear();
        call(Map.of("method", "POST", "path", "echo", "body", Map.of("a", 1)));
        call(Map.of("method", "POST", "path", "echo", "bodyType", "form", "body", Map.of("q", "a b", "n", 2)));
        call(Map.of(
                "method", "POST",
                "path", "echo",
                "bodyType", "multipart",
                "body", Map.of("file", Map.of("filename", "a.csv", "contentType", "text/csv", "content", "x,y"))));
        call(Map.of("method", "PUT", "path", "echo", "bodyType", "text", "body", "hello"));
        List<String> seen = List.copyOf(requests);
        assertThat(seen.get(0))
                .contains("type=application/json")
                .contains("body={\"a\":1}")
                .contains("key=run-1:step")
                .contains("auth=Bearer t-1");
        assertThat(seen.get(1))
                .contains("type=application/x-www-form-urlencoded")
                .contains("q=a+b")
                .contains("n=2");
        assertThat(seen.get(2))
                .contains("type=multipart/form-data; boundary=")
                .contains("filename=\"a.csv\"")
                .contains("x,y");
        assertThat(seen.get(3)).startsWith("PUT").contains("type=text/plain").contains("body=hello");
    }

    @Test
    void followsLinkCursorAndPagePagination() throws Exception {
        Map<?, ?> linked = (Map<?, ?>) call(Map.of("path", "linked", "paginate", Map.of("style", "link")));
        assertThat(linked.get("items")).isEqualTo(List.of(10, 11, 20, 21, 30, 31));
        assertThat(linked.get("pages")).isEqualTo(3);
        Map<?, ?> cursor = (Map<?, ?>) call(Map.of(
                "path",
                "cursor",
                "paginate",
                Map.of("style", "cursor", "itemsPath", "data", "cursorPath", "meta.next", "cursorParam", "after")));
        assertThat(cursor.get("items")).isEqualTo(List.of("a", "b", "c"));
        Map<?, ?> paged = (Map<?, ?>) call(Map.of("path", "paged", "paginate", Map.of("style", "page")));
        assertThat(paged.get("items")).isEqualTo(List.of(1, 2, 3));
        Map<?, ?> capped =
                (Map<?, ?>) call(Map.of("path", "linked", "paginate", Map.of("style", "link", "maxPages", 2)));
        assertThat(capped.get("truncated")).isEqualTo(true);
        assertThat(capped.get("items")).isEqualTo(List.of(10, 11, 20, 21));
    }

    @Test
    void mapsStatusesToStepErrorCodes() {
        assertThatThrownBy(() -> call(Map.of("path", "busy"))).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.code()).isEqualTo("HTTP_429");
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        });
        assertThatThrownBy(() -> call(Map.of("path", "missing")))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo("HTTP_4XX");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("no such order");
                });
        assertThatThrownBy(() -> call(Map.of("method", "FETCH")))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo("INPUT_INVALID"));
    }

    @Test
    void testReportsReachabilityAndAuthFailuresVerbatim() throws Exception {
        TestResult ok =
                session(Map.of("baseUrl", base + "/", "testPath", "echo")).test();
        assertThat(ok.ok()).isTrue();
        TestResult denied =
                session(Map.of("baseUrl", base + "/", "testPath", "private")).test();
        assertThat(denied.ok()).isFalse();
        assertThat(denied.code()).isEqualTo("AUTH_FAILED");
        assertThat(denied.message()).contains("bad token");
        TestResult down = session(Map.of("baseUrl", "http://127.0.0.1:1/")).test();
        assertThat(down.ok()).isFalse();
        assertThat(down.code()).isEqualTo("CONNECTION");
    }
}
