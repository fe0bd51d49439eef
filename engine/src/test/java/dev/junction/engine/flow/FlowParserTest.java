package dev.junction.engine.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowParserTest {
    private final FlowParser parser = new FlowParser();

    private static String fixture(String name) throws IOException {
        try (InputStream in = FlowParserTest.class.getResourceAsStream("/flows/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<FlowProblem> problems(String yaml) {
        try {
            parser.parse(yaml, SourceFormat.YAML);
        } catch (FlowInvalidException e) {
            return e.problems();
        }
        throw new AssertionError("expected the definition to be rejected");
    }

    @Test
    void parsesTheExampleOfFlowsMd() throws IOException {
        FlowDefinition flow = parser.parse(fixture("shop-order-to-erp.yaml"), SourceFormat.YAML);

        assertThat(flow.id()).isEqualTo("shop-order-to-erp");
        assertThat(flow.trigger()).isInstanceOfSatisfying(Trigger.Webhook.class, w -> {
            assertThat(w.path()).isEqualTo("shop-orders");
            assertThat(w.method()).isEqualTo("POST");
            assertThat(w.idempotencyKey()).isNotNull();
        });
        assertThat(flow.steps()).extracting(Step::id).containsExactly("order", "push", "reply");
        Step.Http push = (Step.Http) flow.steps().get(1);
        assertThat(push.common().retry().maxAttempts()).isEqualTo(5);
        assertThat(push.common().retry().maxDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(push.common().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(flow.responds()).isTrue();
    }

    @Test
    void respondsFindsARespondStepAtAnyDepth() {
        String head = "id: r\ntrigger: { type: webhook, path: r }\nsteps:\n";
        String respond = "{ id: reply, type: respond, status: 200, body: '=1' }";
        String flat = head + "  - { id: a, type: map, expression: '1' }\n";
        String inBranch = head + "  - { id: c, type: condition, if: 'true', then: [" + respond + "] }\n";
        String inElse = head + "  - { id: c, type: condition, if: 'true', then: [], else: [" + respond + "] }\n";
        String inLoop = head + "  - { id: l, type: foreach, items: '[1]', steps: [" + respond + "] }\n";
        String inHandler = head + "  - { id: a, type: map, expression: '1', onError: [" + respond + "] }\n";

        assertThat(parser.parse(flat, SourceFormat.YAML).responds()).isFalse();
        for (String yaml : List.of(inBranch, inElse, inLoop, inHandler)) {
            assertThat(parser.parse(yaml, SourceFormat.YAML).responds())
                    .as(yaml)
                    .isTrue();
        }
    }

    @Test
    void acceptsJsonWithTheSameStructure() {
        String json = """
                {"id": "j", "trigger": {"type": "manual"},
                 "steps": [{"id": "a", "type": "map", "expression": "1 + 1"}]}
                """;
        assertThat(parser.parse(json, SourceFormat.JSON).steps()).hasSize(1);
    }

    @Test
    void rejectsMalformedYamlWithItsPosition() {
        List<FlowProblem> p = problems("id: x\ntrigger: [unclosed\nsteps: []\n");
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.message()).startsWith("malformed YAML");
            assertThat(problem.line()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void rejectsMalformedJsonWithItsPosition() {
        assertThatThrownBy(() -> parser.parse("{\"id\": \"x\",\n \"steps\": [}", SourceFormat.JSON))
                .isInstanceOfSatisfying(FlowInvalidException.class, e -> {
                    assertThat(e.problems().getFirst().message()).startsWith("malformed JSON");
                    assertThat(e.problems().getFirst().line()).isEqualTo(2);
                });
    }

    @Test
    void namesTheLineColumnAndExpectationOfAnUnknownStepType() {
        List<FlowProblem> p = problems("""
                id: x
                trigger: { type: manual }
                steps:
                  - id: a
                    type: htp
                """);
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("steps[0].type");
            assertThat(problem.line()).isEqualTo(5);
            assertThat(problem.column()).isEqualTo(5);
            assertThat(problem.message()).isEqualTo("unknown step type 'htp'");
            assertThat(problem.expected()).contains("http", "map");
        });
    }

    @Test
    void rejectsDuplicateStepIdsAcrossNesting() {
        List<FlowProblem> p = problems("""
                id: x
                trigger: { type: manual }
                steps:
                  - id: a
                    type: map
                    expression: "1"
                  - id: c
                    type: condition
                    if: "true"
                    then:
                      - id: a
                        type: map
                        expression: "2"
                """);
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("steps[1].then[0].id");
            assertThat(problem.message()).contains("duplicate step id 'a'", "line 4");
        });
    }

    @Test
    void rejectsReferencesToUnknownSteps() {
        List<FlowProblem> p = problems("""
                id: x
                trigger: { type: manual }
                steps:
                  - id: a
                    type: map
                    expression: steps.nope.output
                """);
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("steps[0].expression");
            assertThat(problem.message()).isEqualTo("reference to unknown step 'nope'");
            assertThat(problem.expected()).contains("a");
        });
    }

    @Test
    void acceptsBacktickReferencesToHyphenatedIds() {
        FlowDefinition flow = parser.parse("""
                id: x
                trigger: { type: manual }
                steps:
                  - id: get-order
                    type: map
                    expression: "1"
                  - id: b
                    type: map
                    expression: steps.`get-order`.output
                """, SourceFormat.YAML);
        assertThat(flow.steps()).hasSize(2);
    }

    @Test
    void rejectsBrokenJsonataInExpressionsAndTemplates() {
        List<FlowProblem> p = problems("""
                id: x
                trigger: { type: manual }
                steps:
                  - id: a
                    type: map
                    expression: "trigger.body.("
                  - id: b
                    type: respond
                    body: "total: {{ $sum( }}"
                """);
        assertThat(p).hasSize(2);
        assertThat(p.get(0).field()).isEqualTo("steps[0].expression");
        assertThat(p.get(0).message()).startsWith("invalid JSONata");
        assertThat(p.get(1).field()).isEqualTo("steps[1].body");
        assertThat(p.get(1).message()).startsWith("invalid template");
    }

    @Test
    void reportsEveryProblemAtOnceInSourceOrder() {
        List<FlowProblem> p = problems("""
                id: Bad_Id
                trigger: { type: webhook }
                steps:
                  - type: map
                    expression: "1"
                    extra: 2
                """);
        assertThat(p).extracting(FlowProblem::field).containsExactly("id", "trigger", "steps[0]", "steps[0].extra");
        assertThat(p).extracting(FlowProblem::line).isSorted();
    }

    @Test
    void rejectsDuplicateKeys() {
        List<FlowProblem> p = problems("""
                id: x
                id: y
                trigger: { type: manual }
                steps: [ { id: a, type: map, expression: "1" } ]
                """);
        assertThat(p).singleElement().satisfies(problem -> assertThat(problem.message())
                .isEqualTo("duplicate key 'id'"));
    }

    @Test
    void checksTriggers() {
        assertThat(problems("""
                id: x
                trigger: { type: schedule, cron: "61 * * * *" }
                steps: [ { id: a, type: map, expression: "1" } ]
                """)).singleElement().satisfies(p -> assertThat(p.message())
                .startsWith("invalid cron"));
        assertThat(problems("""
                id: x
                trigger: { type: schedule, every: 5m, timezone: Mars/Olympus }
                steps: [ { id: a, type: map, expression: "1" } ]
                """)).singleElement().satisfies(p -> assertThat(p.message())
                .contains("unknown time zone"));
        assertThat(problems("""
                id: x
                trigger: { type: carrier-pigeon }
                steps: [ { id: a, type: map, expression: "1" } ]
                """)).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("unknown trigger type 'carrier-pigeon'"));
    }

    @Test
    void readsPollTriggers() {
        FlowDefinition d = parser.parse("""
                id: new-customers
                trigger:
                  type: poll
                  connection: crm-db
                  operation: changes
                  input: { table: customers, cursorColumn: updated_at, keyColumn: id }
                  every: 30s
                steps: [ { id: a, type: map, expression: "trigger.body" } ]
                """, SourceFormat.YAML);
        Trigger.Poll poll = (Trigger.Poll) d.trigger();
        assertThat(poll.connection()).isEqualTo("crm-db");
        assertThat(poll.operation()).isEqualTo("changes");
        assertThat(poll.every()).isEqualTo(Duration.ofSeconds(30));
        assertThat(poll.cursor()).isNull();
        FlowDefinition defaults = parser.parse("""
                id: x
                trigger: { type: poll, connection: shop, operation: request, cursor: "$max(items.id)" }
                steps: [ { id: a, type: map, expression: "1" } ]
                """, SourceFormat.YAML);
        assertThat(((Trigger.Poll) defaults.trigger()).every()).isEqualTo(Trigger.Poll.DEFAULT_EVERY);
    }

    @Test
    void readsStreamTriggers() {
        Trigger.Stream stream =
                (Trigger.Stream) parser.parse("""
                        id: orders
                        trigger: { type: stream, connection: mq, source: orders, group: erp, options: { prefetch: 10 } }
                        steps: [ { id: a, type: map, expression: "trigger.body" } ]
                        """, SourceFormat.YAML).trigger();
        assertThat(stream.source()).isEqualTo("orders");
        assertThat(stream.group()).isEqualTo("erp");
        assertThat(stream.maxInFlight()).isEqualTo(Trigger.Stream.DEFAULT_MAX_IN_FLIGHT);
        assertThat(stream.options()).isEqualTo(java.util.Map.of("prefetch", 10));
        assertThat(problems("""
                id: orders
                trigger: { type: stream, connection: mq, maxInFlight: 0 }
                steps: [ { id: a, type: map, expression: "1" } ]
                """))
                .extracting(FlowProblem::field)
                .containsExactlyInAnyOrder("trigger", "trigger.maxInFlight");
    }

    @Test
    void rejectsBadPollTriggersNamingTheField() {
        List<FlowProblem> found = problems("""
                id: x
                trigger: { type: poll, operation: changes, input: "rows", every: 10ms, cursor: "$max(" }
                steps: [ { id: a, type: map, expression: "1" } ]
                """);
        assertThat(found)
                .extracting(FlowProblem::field)
                .contains("trigger", "trigger.input", "trigger.every", "trigger.cursor");
        assertThat(found)
                .extracting(FlowProblem::message)
                .contains("missing required field 'connection'", "'every' is shorter than one second");
    }

    @Test
    void readsSchedulesWithCronAndTimeZoneOrEvery() {
        FlowDefinition cron = parser.parse("""
                id: x
                trigger: { type: schedule, cron: "0 9 * * MON-FRI", timezone: Europe/Berlin }
                steps: [ { id: a, type: map, expression: "1" } ]
                """, SourceFormat.YAML);
        assertThat(((Trigger.Schedule) cron.trigger()).timezone().getId()).isEqualTo("Europe/Berlin");
        FlowDefinition every = parser.parse("""
                id: x
                trigger: { type: schedule, every: 5m }
                steps: [ { id: a, type: map, expression: "1" } ]
                """, SourceFormat.YAML);
        assertThat(((Trigger.Schedule) every.trigger()).every()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void rejectsBadDurationsAndRetryClasses() {
        List<FlowProblem> p = problems("""
                id: x
                trigger: { type: manual }
                steps:
                  - id: a
                    type: http
                    url: http://example.test
                    timeout: soon
                    retry: { maxAttempts: 0, on: [NEVER] }
                """);
        assertThat(p)
                .extracting(FlowProblem::field)
                .containsExactlyInAnyOrder("steps[0].timeout", "steps[0].retry.maxAttempts", "steps[0].retry.on[0]");
    }

    @Test
    void rejectsAnEmptyDefinition() {
        assertThat(problems("")).singleElement().satisfies(p -> assertThat(p.message())
                .isEqualTo("the definition is empty"));
    }
}
