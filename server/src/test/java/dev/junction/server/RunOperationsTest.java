package dev.junction.server;

import static dev.junction.server.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dead letters, replay, cancel, idempotency under concurrency and the retention policy, over HTTP. */
class RunOperationsTest {
    private static final AtomicBoolean HEALTHY = new AtomicBoolean();
    private static TestServer server;
    private static HttpServer downstream;

    @BeforeAll
    static void start() throws Exception {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/push", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] out = (HEALTHY.get() ? "{\"ok\":true}" : "{\"error\":\"down\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(HEALTHY.get() ? 200 : 500, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        downstream.start();
        server = new TestServer(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
        downstream.stop(0);
    }

    private static String pushFlow(String id, String pushStepId) {
        return """
                id: %s
                trigger: { type: manual }
                steps:
                  - { id: prepare, type: map, expression: "{ 'n': trigger.body.n }" }
                  - id: %s
                    type: http
                    method: POST
                    url: "http://127.0.0.1:%d/push"
                    body: "{{ steps.prepare.output }}"
                    retry: { maxAttempts: 1 }
                """.formatted(id, pushStepId, downstream.getAddress().getPort());
    }

    private static String startRun(String flow, int n) throws Exception {
        HttpResponse<String> r =
                server.api("POST", "/api/v1/flows/" + flow + "/runs", "application/json", "{\"n\": " + n + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return (String) json(r).get("runId");
    }

    private static String failedRun(String flow, int n) throws Exception {
        HEALTHY.set(false);
        String id = startRun(flow, n);
        assertThat(server.awaitFinished(id)).containsEntry("status", "FAILED");
        return id;
    }

    private static List<?> deadLetters(String flow) throws Exception {
        return (List<?>) json(server.api("GET", "/api/v1/dead-letters?flow=" + flow, null, null))
                .get("items");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailedRunIsADeadLetterAndReplaysFromTheFailedStep() throws Exception {
        server.api("POST", "/api/v1/flows", "application/yaml", pushFlow("replayed", "push"));
        String original = failedRun("replayed", 7);
        List<?> dead = deadLetters("replayed");
        assertThat(dead).hasSize(1);
        Map<String, Object> letter = (Map<String, Object>) dead.getFirst();
        assertThat(letter).containsEntry("id", original);
        assertThat((Map<String, Object>) letter.get("error"))
                .containsEntry("code", "HTTP_5XX")
                .containsEntry("stepId", "push");
        assertThat((List<?>) json(server.api("GET", "/api/v1/runs?flow=replayed&q=HTTP_5XX", null, null))
                        .get("items"))
                .hasSize(1);
        assertThat((List<?>) json(server.api("GET", "/api/v1/runs?flow=replayed&q=no-such-words", null, null))
                        .get("items"))
                .isEmpty();

        HEALTHY.set(true);
        HttpResponse<String> replay = server.api(
                "POST", "/api/v1/runs/" + original + "/replay", "application/json", "{\"from\": \"failed-step\"}");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        String replayId = (String) json(replay).get("id");
        Map<String, Object> done = server.awaitFinished(replayId);
        assertThat(done).containsEntry("status", "SUCCEEDED").containsEntry("replayOf", original);
        List<Map<String, Object>> steps = (List<Map<String, Object>>) done.get("steps");
        assertThat(steps)
                .extracting(s -> s.get("stepId") + ":" + s.get("status"))
                .containsExactly("prepare:SUCCEEDED", "push:SUCCEEDED");
        assertThat(steps.getFirst().get("output")).isEqualTo(Map.of("n", 7));
        assertThat(deadLetters("replayed")).isEmpty();
        assertThat(json(server.api("GET", "/api/v1/runs/" + original, null, null)))
                .containsEntry("replayedBy", replayId);
    }

    @Test
    @SuppressWarnings("unchecked")
    void bulkReplayPreviewsAndThenReplaysTheDeadLettersOfAFlow() throws Exception {
        server.api("POST", "/api/v1/flows", "application/yaml", pushFlow("bulk", "push"));
        Set<String> failed = Set.of(failedRun("bulk", 1), failedRun("bulk", 2), failedRun("bulk", 3));
        String body = "{\"filter\": {\"flow\": \"bulk\"}, \"from\": \"start\", \"dryRun\": true}";
        Map<String, Object> preview = json(server.api("POST", "/api/v1/runs/replay", "application/json", body));
        assertThat(preview).containsEntry("dryRun", true).containsEntry("selected", 3);
        assertThat((List<Map<String, Object>>) preview.get("items"))
                .extracting(i -> i.get("runId"))
                .containsExactlyInAnyOrderElementsOf(failed);
        assertThat(deadLetters("bulk")).hasSize(3);

        HEALTHY.set(true);
        Map<String, Object> result =
                json(server.api("POST", "/api/v1/runs/replay", "application/json", body.replace("true", "false")));
        assertThat(result).containsEntry("replayed", 3).containsEntry("refused", 0);
        for (Map<String, Object> item : (List<Map<String, Object>>) result.get("items")) {
            assertThat(server.awaitFinished((String) item.get("newRunId"))).containsEntry("status", "SUCCEEDED");
        }
        assertThat(deadLetters("bulk")).isEmpty();
    }

    @Test
    void replaysAndCancelsThatCannotBeDoneAreClearAnswers() throws Exception {
        server.api("POST", "/api/v1/flows", "application/yaml", pushFlow("refusals", "push"));
        HttpResponse<String> unknown = server.api("POST", "/api/v1/runs/0000nope/replay", "application/json", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown)).containsEntry("code", "RUN_NOT_FOUND");

        String failed = failedRun("refusals", 1);
        HttpResponse<String> badField =
                server.api("POST", "/api/v1/runs/" + failed + "/replay", "application/json", "{\"from\": \"middle\"}");
        assertThat(badField.statusCode()).isEqualTo(400);
        assertThat(json(badField)).containsEntry("field", "from");
        HttpResponse<String> finished = server.api("POST", "/api/v1/runs/" + failed + "/cancel", null, null);
        assertThat(finished.statusCode()).isEqualTo(409);
        assertThat(json(finished)).containsEntry("code", "RUN_FINISHED");

        // The latest version renamed the step that failed: its checkpoints no longer match.
        server.api("PUT", "/api/v1/flows/refusals", "application/yaml", pushFlow("refusals", "send"));
        HttpResponse<String> mismatch = server.api(
                "POST", "/api/v1/runs/" + failed + "/replay", "application/json", "{\"version\": \"latest\"}");
        assertThat(mismatch.statusCode()).as(mismatch.body()).isEqualTo(409);
        assertThat(json(mismatch)).containsEntry("code", "REPLAY_MISMATCH");
        assertThat((String) json(mismatch).get("detail")).contains("push");
        assertThat(deadLetters("refusals")).hasSize(1);

        HEALTHY.set(true);
        String succeeded = startRun("refusals", 2);
        server.awaitFinished(succeeded);
        HttpResponse<String> noFailedStep = server.api(
                "POST", "/api/v1/runs/" + succeeded + "/replay", "application/json", "{\"from\": \"failed-step\"}");
        assertThat(noFailedStep.statusCode()).isEqualTo(409);
        assertThat(json(noFailedStep)).containsEntry("code", "REPLAY_INVALID");
    }

    @Test
    void cancelStopsAWaitingRun() throws Exception {
        server.api("POST", "/api/v1/flows", "application/yaml", """
                id: sleepy
                trigger: { type: manual }
                steps:
                  - { id: nap, type: delay, duration: 1h }
                  - { id: after, type: map, expression: "'woke'" }
                """);
        String run = startRun("sleepy", 1);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> json(server.api("GET", "/api/v1/runs/" + run, null, null))
                                .get("status"),
                        "WAITING"::equals);
        HttpResponse<String> cancelled = server.api("POST", "/api/v1/runs/" + run + "/cancel", null, null);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled)).containsEntry("status", "CANCELLED");
        assertThat(server.api("POST", "/api/v1/runs/" + run + "/cancel", null, null)
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void concurrentDuplicatesOfOneIdempotencyKeyHeaderStartExactlyOneRun() throws Exception {
        server.api("POST", "/api/v1/flows", "application/yaml", """
                id: dedup
                trigger: { type: webhook, path: dedup }
                steps: [ { id: a, type: map, expression: "trigger.body" } ]
                """);
        Set<String> runIds = ConcurrentHashMap.newKeySet();
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                callers.execute(() -> {
                    try {
                        var request = java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.baseUrl() + "/hooks/default/dedup"))
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", "evt-42")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\": 1}"))
                                .build();
                        var r = java.net.http.HttpClient.newHttpClient()
                                .send(request, HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).isEqualTo(202);
                        runIds.add(r.headers().firstValue("Junction-Run-Id").orElseThrow());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        assertThat(runIds).hasSize(1);
        assertThat((List<?>) json(server.api("GET", "/api/v1/runs?flow=dedup", null, null))
                        .get("items"))
                .hasSize(1);
    }

    @Test
    void theRetentionPolicyIsValidatedAndStored() throws Exception {
        assertThat(json(server.api("GET", "/api/v1/workspace", null, null))).containsEntry("retentionDays", 30);
        HttpResponse<String> zero =
                server.api("PATCH", "/api/v1/workspace", "application/json", "{\"retentionDays\": 0}");
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(json(zero)).containsEntry("field", "retentionDays");
        HttpResponse<String> unknown =
                server.api("PATCH", "/api/v1/workspace", "application/json", "{\"colour\": \"x\"}");
        assertThat(json(unknown)).containsEntry("field", "colour");
        HttpResponse<String> renamed =
                server.api("PATCH", "/api/v1/workspace", "application/json", "{\"name\": \"Shop\"}");
        assertThat(json(renamed)).containsEntry("name", "Shop");
        HttpResponse<String> seven =
                server.api("PATCH", "/api/v1/workspace", "application/json", "{\"retentionDays\": 7}");
        assertThat(json(seven)).containsEntry("retentionDays", 7);
        server.api("PATCH", "/api/v1/workspace", "application/json", "{\"retentionDays\": 30}");
    }
}
