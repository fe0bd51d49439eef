package dev.junction.connector.openapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.connector.AddressPolicy;
import dev.junction.engine.connector.ConnectorContext;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.exec.HttpCaller;
import dev.junction.engine.exec.HttpTransport;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on loopback playing the petstore: it records every request, serves documents
 * put under {@code /docs/}, and answers the petstore's paths. One per test class.
 */
final class FarSide implements AutoCloseable {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);

    /** One request as the server saw it; {@code rawPath} and {@code rawQuery} still percent-encoded. */
    record Received(String method, String rawPath, String rawQuery, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    final Map<String, String> documents = new ConcurrentHashMap<>();
    private final HttpServer server;
    final String base;

    FarSide() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getRawPath();
        Received r =
                new Received(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), headers, body);
        received.add(r);
        if (path.startsWith("/docs/")) {
            String doc = documents.get(path.substring("/docs/".length()));
            reply(ex, doc == null ? 404 : 200, doc == null ? "no such document" : doc, "application/yaml");
        } else if (path.endsWith("/pets/missing")) {
            reply(ex, 404, "{\"error\":\"no pet 'missing'\"}", "application/json");
        } else if (path.endsWith("/pets/down")) {
            reply(ex, 503, "{\"error\":\"maintenance\"}", "application/json");
        } else if (r.method().equals("POST") && path.endsWith("/pets")) {
            reply(ex, 201, "{\"id\":7,\"received\":" + body + "}", "application/json");
        } else if (r.method().equals("DELETE")) {
            reply(ex, 204, "", "application/json");
        } else {
            reply(ex, 200, Json.write(Map.of("path", path)), "application/json");
        }
    }

    private static void reply(HttpExchange ex, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    /** The requests that were not document fetches. */
    List<Received> calls() {
        return received.stream().filter(r -> !r.rawPath().startsWith("/docs/")).toList();
    }

    /** The platform's side as a connector sees it: the real client, loopback allowed. */
    ConnectorContext context(String baseUrl) {
        OutboundHttp http = new HttpCaller(
                        HttpTransport.open(), 1024 * 1024, AddressPolicy.blockingInternal(List.of("127.0.0.1/32")))
                .forConnection(null, baseUrl, request -> request.withHeader("Authorization", "Bearer t-1"));
        return new ConnectorContext() {
            @Override
            public OutboundHttp http() {
                return http;
            }

            @Override
            public AddressPolicy addresses() {
                return AddressPolicy.blockingInternal(List.of("127.0.0.1/32"));
            }

            @Override
            public Clock clock() {
                return CLOCK;
            }
        };
    }

    /** A test resource next to this class as text. */
    static String resource(String name) {
        try (InputStream in = FarSide.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
