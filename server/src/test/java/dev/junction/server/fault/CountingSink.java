package dev.junction.server.fault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A slow downstream: answers each {@code POST /orders} after {@code delay} (without holding a
 * thread) and records, per order, every {@code Idempotency-Key} it was called with.
 */
final class CountingSink implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, List<String>> keysByOrder = new ConcurrentHashMap<>();

    CountingSink(Duration delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(handlers);
        server.createContext("/orders", ex -> {
            Map<?, ?> order =
                    (Map<?, ?>) Json.read(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            keysByOrder
                    .computeIfAbsent(String.valueOf(order.get("externalId")), k -> new CopyOnWriteArrayList<>())
                    .add(key == null ? "<none>" : key);
            later.schedule(() -> answer(ex), delay.toMillis(), TimeUnit.MILLISECONDS);
        });
        server.start();
    }

    private static void answer(HttpExchange ex) {
        try (ex) {
            byte[] out = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
        } catch (IOException callerGone) {
            // the node was killed while waiting for us; it calls again after its restart
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/orders";
    }

    Set<String> orders() {
        return keysByOrder.keySet();
    }

    List<String> keys(String orderId) {
        return keysByOrder.getOrDefault(orderId, List.of());
    }

    int calls() {
        return keysByOrder.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void close() {
        server.stop(0);
        later.shutdownNow();
        handlers.shutdownNow();
    }
}
