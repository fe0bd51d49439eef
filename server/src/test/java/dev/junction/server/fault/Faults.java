package dev.junction.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/** What the fault tests do to a node over HTTP: deploy the order flow, send bursts, read runs. */
final class Faults {
    static final String FLOW = "orders-to-sink";
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Faults() {}

    /** One webhook answer: the status (-1 when the node could not be reached) and its headers' run id. */
    record Answer(int status, String runId, String retryAfter, String body) {}

    /** A webhook → map → http flow whose http step calls the sink; it answers 202 once durable. */
    static String orderFlow(String sinkUrl) {
        return """
                id: %s
                trigger:
                  type: webhook
                  path: orders
                  idempotencyKey: "{{ trigger.body.orderId }}"
                steps:
                  - id: order
                    type: map
                    expression: |
                      {
                        "externalId": trigger.body.orderId,
                        "total": $sum(trigger.body.lines.(qty * price)),
                        "country": $uppercase(trigger.body.country)
                      }
                  - id: push
                    type: http
                    method: POST
                    url: "%s"
                    body: "{{ steps.order.output }}"
                """.formatted(FLOW, sinkUrl);
    }

    static String orderId(int n) {
        return "O-%05d".formatted(n);
    }

    static String order(int n) {
        return Json.write(Map.of(
                "orderId", orderId(n),
                "customer", Map.of("name", "Customer " + n, "email", "c" + n + "@example.com"),
                "country", "de",
                "lines",
                        List.of(
                                Map.of("sku", "A", "qty", 2, "price", 9.5),
                                Map.of("sku", "B", "qty", 1, "price", 20))));
    }

    static void deploy(JunctionProcess node, String yaml) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(node.uri("/api/v1/flows"))
                        .header("Authorization", "Bearer " + JunctionProcess.KEY)
                        .header("Content-Type", "application/yaml")
                        .POST(HttpRequest.BodyPublishers.ofString(yaml))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Creates and activates the amqp connection {@code rabbit} to the machine's RabbitMQ. */
    static void createRabbitConnection(JunctionProcess node) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(node.uri("/api/v1/connections"))
                        .header("Authorization", "Bearer " + JunctionProcess.KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of(
                                "id",
                                "rabbit",
                                "connector",
                                "amqp",
                                "config",
                                Map.of("host", "127.0.0.1", "username", "guest", "password", "guest"),
                                "activate",
                                true))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** Posts event {@code n} until it is accepted, again after each 503 (as a client honouring Retry-After). */
    static Answer postUntilAccepted(JunctionProcess node, int n) {
        return org.awaitility.Awaitility.await("event " + n + " accepted")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> post(node, n), a -> a.status() != 503);
    }

    static Answer post(JunctionProcess node, int n) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(node.uri("/hooks/default/orders"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(order(n)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    r.statusCode(),
                    r.headers().firstValue("Junction-Run-Id").orElse(null),
                    r.headers().firstValue("Retry-After").orElse(null),
                    r.body());
        } catch (IOException e) {
            return new Answer(-1, null, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, null, "interrupted");
        }
    }

    /**
     * Sends events {@code 0..count-1}, {@code inFlight} at a time, to the node {@code target}
     * picks for each; {@code sink} receives every answer. Once {@code when} holds, {@code then} runs
     * (once) while the burst goes on. Returns when every event has been answered or refused.
     */
    static void burst(
            int count,
            int inFlight,
            IntFunction<JunctionProcess> target,
            java.util.function.BiConsumer<Integer, Answer> sink,
            BooleanSupplier when,
            ThrowingRunnable then)
            throws Exception {
        burst(0, count, inFlight, target, sink, when, then);
    }

    /** Like {@link #burst(int, int, IntFunction, java.util.function.BiConsumer, BooleanSupplier, ThrowingRunnable)} for events {@code from..to-1}. */
    static void burst(
            int from,
            int to,
            int inFlight,
            IntFunction<JunctionProcess> target,
            java.util.function.BiConsumer<Integer, Answer> sink,
            BooleanSupplier when,
            ThrowingRunnable then)
            throws Exception {
        burst(from, to, inFlight, false, target, sink, when, then);
    }

    /** The burst of a client that sends an event again when told {@code 503 Retry-After}. */
    static void burst(
            int from,
            int to,
            int inFlight,
            boolean retryUnavailable,
            IntFunction<JunctionProcess> target,
            java.util.function.BiConsumer<Integer, Answer> sink,
            BooleanSupplier when,
            ThrowingRunnable then)
            throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        AtomicBoolean fired = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = from; i < to; i++) {
                slots.acquire();
                int n = i;
                senders.execute(() -> {
                    try {
                        sink.accept(
                                n, retryUnavailable ? postUntilAccepted(target.apply(n), n) : post(target.apply(n), n));
                        if (when != null && when.getAsBoolean() && fired.compareAndSet(false, true)) {
                            then.run();
                        }
                    } catch (Exception | AssertionError e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        if (!failures.isEmpty()) {
            AssertionError all = new AssertionError(failures.size() + " of the burst's answers were wrong; the first: "
                    + failures.getFirst().getMessage());
            failures.stream().limit(5).forEach(all::addSuppressed);
            throw all;
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Every run of the order flow, as the API lists them. */
    static List<Map<?, ?>> runs(JunctionProcess node) throws Exception {
        List<Map<?, ?>> all = new ArrayList<>();
        String cursor = null;
        do {
            URI uri =
                    node.uri("/api/v1/runs?flow=" + FLOW + "&limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + JunctionProcess.KEY)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Map<?, ?> page = (Map<?, ?>) Json.read(r.body());
            for (Object item : (List<?>) page.get("items")) {
                all.add((Map<?, ?>) item);
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return all;
    }

    static long succeeded(List<Map<?, ?>> runs) {
        return runs.stream().filter(r -> "SUCCEEDED".equals(r.get("status"))).count();
    }
}
