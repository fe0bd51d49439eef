package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.junction.engine.exec.WebhookAnswer;
import dev.junction.engine.run.AttemptStatus;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each step type, executed by the engine against a real HTTP server on loopback. */
class StepTypesTest {
    private static HttpServer server;
    private static String base;
    private static final AtomicInteger flaky = new AtomicInteger();
    private static final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
    private EngineHarness h;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(ex.getRequestHeaders().getFirst("Idempotency-Key") + " " + body);
            reply(
                    ex,
                    200,
                    "{\"id\": \"E-1\", \"got\": " + (body.isEmpty() ? "null" : body) + ", \"q\": \""
                            + ex.getRequestURI().getQuery() + "\"}");
        });
        server.createContext("/flaky", ex -> {
            if (flaky.incrementAndGet() < 3) {
                ex.getResponseHeaders().add("Retry-After", "7");
                reply(ex, 503, "{\"error\": \"busy\"}");
            } else {
                reply(ex, 200, "{\"ok\": true}");
            }
        });
        server.createContext("/missing", ex -> reply(ex, 404, "{\"error\": \"no such thing\"}"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void harness() {
        h = new EngineHarness(Map.of("API", base), Duration.ofMinutes(10)); // every wait in-thread
        flaky.set(0);
        received.clear();
    }

    @Test
    void mapHttpAndRespondProduceTheMappedEnrichedAnswer() {
        var d = h.deploy("""
                id: enrich
                trigger: { type: webhook, path: in }
                steps:
                  - id: order
                    type: map
                    expression: '{"id": trigger.body.orderId, "total": $sum(trigger.body.lines.(qty * price))}'
                  - id: push
                    type: http
                    method: POST
                    url: "{{ env.API }}/echo"
                    query: { source: "shop {{ trigger.body.orderId }}" }
                    body: "{{ steps.order.output }}"
                  - id: reply
                    type: respond
                    status: 201
                    headers: { X-Erp: "{{ steps.push.output.body.id }}" }
                    body: "{{ { 'erpId': steps.push.output.body.id, 'total': steps.push.output.body.got.total } }}"
                """);
        var handle = h.start(
                d.id(),
                Map.of(
                        "orderId",
                        "A1",
                        "lines",
                        List.of(Map.of("qty", 2, "price", 5), Map.of("qty", 1, "price", 2.5))));
        WebhookAnswer answer = handle.answer().join();
        Run run = handle.finished().join();

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.headers()).containsEntry("X-Erp", "E-1");
        assertThat(answer.body()).isEqualTo(Map.of("erpId", "E-1", "total", 12.5));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(received).singleElement().asString().startsWith(run.id() + ":push {");
        List<StepAttempt> steps = h.attempts(run);
        assertThat(steps).extracting(StepAttempt::stepId).containsExactly("order", "push", "reply");
        assertThat(steps.get(1).input())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("method", "POST");
        assertThat(((Map<?, ?>) steps.get(1).output()).get("body"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("q", "source=shop+A1");
    }

    @Test
    void retriesWithBackOffAndHonoursRetryAfter() {
        Run run = h.run("""
                id: retrying
                trigger: { type: manual }
                steps:
                  - id: call
                    type: http
                    url: "{{ env.API }}/flaky"
                    retry: { maxAttempts: 4, initialDelay: 1s, multiplier: 2, jitter: 0 }
                """, Map.of());
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(h.attempts(run))
                .extracting(StepAttempt::status)
                .containsExactly(AttemptStatus.FAILED, AttemptStatus.FAILED, AttemptStatus.SUCCEEDED);
        assertThat(h.attempts(run).getFirst().error().code()).isEqualTo("HTTP_5XX");
        assertThat(h.clock.sleeps()).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(7));
    }

    @Test
    void doesNotRetryAPlain4xxAndFailsTheRun() {
        Run run = h.run("""
                id: missing
                trigger: { type: manual }
                steps:
                  - id: call
                    type: http
                    url: "{{ env.API }}/missing"
                """, Map.of());
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().code()).isEqualTo("HTTP_4XX");
        assertThat(run.error().message()).contains("answered 404", "no such thing");
        assertThat(h.attempts(run)).hasSize(1);
    }

    @Test
    void connectionFailuresAreRetriedThenFail() {
        Run run = h.run("""
                id: down
                trigger: { type: manual }
                steps:
                  - id: call
                    type: http
                    url: http://127.0.0.1:1/nothing
                    retry: { maxAttempts: 2, initialDelay: 2s }
                """, Map.of());
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(h.attempts(run)).extracting(a -> a.error().code()).containsExactly("CONNECTION", "CONNECTION");
    }

    @Test
    void conditionSwitchAndWhenChooseBranches() {
        Run run = h.run("""
                id: branches
                trigger: { type: manual }
                steps:
                  - id: big
                    type: condition
                    if: trigger.body.total > 100
                    then:
                      - { id: vip, type: map, expression: "'vip'" }
                    else:
                      - { id: normal, type: map, expression: "'normal'" }
                  - id: route
                    type: switch
                    value: trigger.body.country
                    cases:
                      DE: [ { id: de, type: map, expression: "'germany'" } ]
                    default: [ { id: other, type: map, expression: "'elsewhere'" } ]
                  - id: skipped
                    type: map
                    when: "false"
                    expression: "'never'"
                  - id: result
                    type: map
                    expression: "[steps.big.output.branch, steps.route.output.case, steps.normal.output, steps.de.output]"
                """, Map.of("total", 50, "country", "DE"));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.output()).isEqualTo(List.of("else", "DE", "normal", "germany"));
        assertThat(h.attempts(run))
                .filteredOn(a -> a.stepId().equals("skipped"))
                .singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(AttemptStatus.SKIPPED));
    }

    @Test
    void foreachRunsEachItemWithBoundedConcurrencyAndKeepsOrder() {
        Run run = h.run(
                """
                id: loop
                trigger: { type: manual }
                steps:
                  - id: lines
                    type: foreach
                    items: trigger.body.lines
                    concurrency: 4
                    steps:
                      - id: price
                        type: http
                        method: POST
                        url: "{{ env.API }}/echo"
                        body: "{{ {'sku': item.sku, 'index': index} }}"
                      - id: value
                        type: map
                        expression: steps.price.output.body.got.sku & '#' & index
                """,
                Map.of(
                        "lines",
                        List.of(
                                Map.of("sku", "a"),
                                Map.of("sku", "b"),
                                Map.of("sku", "c"),
                                Map.of("sku", "d"),
                                Map.of("sku", "e"))));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.output()).isEqualTo(List.of("a#0", "b#1", "c#2", "d#3", "e#4"));
        assertThat(received).hasSize(5);
        assertThat(received)
                .as("each item's call has its own idempotency key")
                .extracting(r -> r.substring(0, r.indexOf(' ')))
                .containsExactlyInAnyOrder(
                        run.id() + ":lines[0]/price",
                        run.id() + ":lines[1]/price",
                        run.id() + ":lines[2]/price",
                        run.id() + ":lines[3]/price",
                        run.id() + ":lines[4]/price");
        assertThat(h.attempts(run)).extracting(StepAttempt::path).contains("lines[0]/price", "lines[4]/value");
    }

    @Test
    void setVarsFailDelayAndOnErrorContinue() {
        Run run = h.run("""
                id: misc
                trigger: { type: manual }
                vars: { greeting: hello }
                steps:
                  - id: s
                    type: set
                    vars: { who: "{{ trigger.body.name }}", n: "{{ 2 + 3 }}" }
                  - id: wait
                    type: delay
                    duration: 90s
                  - id: boom
                    type: fail
                    code: NOT_ALLOWED
                    message: "no {{ vars.who }}"
                    onError: continue
                  - id: out
                    type: map
                    expression: "[vars.greeting, vars.who, vars.n, steps.boom.output.error.code]"
                """, Map.of("name", "Ada"));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.output()).isEqualTo(List.of("hello", "Ada", 5, "NOT_ALLOWED"));
        assertThat(h.clock.sleeps()).containsExactly(Duration.ofSeconds(90));
    }

    @Test
    void aFailStepFailsTheRunWithItsCodeAndRunsTheFlowHandler() {
        Run run = h.run("""
                id: failing
                trigger: { type: manual }
                onError:
                  - { id: note, type: map, expression: "'handled ' & error.code" }
                steps:
                  - id: boom
                    type: fail
                    code: ORDER_REJECTED
                    message: "order {{ trigger.body.id }} rejected"
                """, Map.of("id", 7));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().code()).isEqualTo("ORDER_REJECTED");
        assertThat(run.error().message()).isEqualTo("order 7 rejected");
        assertThat(h.attempts(run))
                .filteredOn(a -> a.stepId().equals("note"))
                .singleElement()
                .satisfies(a -> assertThat(a.output()).isEqualTo("handled ORDER_REJECTED"));
    }

    @Test
    void aFailingExpressionFailsOnlyThatStepWithItsMessage() {
        Run run = h.run("""
                id: badexpr
                trigger: { type: manual }
                steps:
                  - id: calc
                    type: map
                    expression: $number(trigger.body.amount)
                """, Map.of("amount", "12,50"));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error().code()).isEqualTo("EXPRESSION_ERROR");
        assertThat(run.error().stepId()).isEqualTo("calc");
    }

    @Test
    void parallelBranchesReturnTheirLastOutputs() {
        Run run = h.run("""
                id: par
                trigger: { type: manual }
                steps:
                  - id: both
                    type: parallel
                    branches:
                      left: [ { id: l, type: map, expression: "1" } ]
                      right: [ { id: r, type: map, expression: "2" } ]
                """, Map.of());
        assertThat(run.output()).isEqualTo(Map.of("left", 1, "right", 2));
    }
}
