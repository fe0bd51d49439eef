package dev.junction.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dashjoin.jsonata.Jsonata;
import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.json.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plain paths take a fast path that must give exactly what JSONata gives. */
class ExpressionTest {
    private static final Map<String, Object> CONTEXT = context();

    private static Map<String, Object> context() {
        Map<String, Object> steps = new HashMap<>();
        steps.put(
                "order",
                Map.of(
                        "output",
                        Json.read(
                                "{\"total\": 9.0, \"nested\": {\"x\": 1.5, \"n\": 2}, \"lines\": [1, 2], \"one\": [7]}")));
        steps.put("empty", new HashMap<>(Map.of()));
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("steps", steps);
        ctx.put(
                "trigger",
                Json.read(
                        "{\"body\": {\"orderId\": \"A-1\", \"ok\": true, \"none\": null, \"lines\": [{\"sku\": \"a\"}, {\"sku\": \"b\"}]}}"));
        return ctx;
    }

    private static Object jsonata(String source) {
        return Json.plain(Jsonata.jsonata(source).evaluate(CONTEXT));
    }

    @Test
    void plainPathsEvaluateExactlyAsJsonataDoes() {
        for (String source : List.of(
                "trigger.body.orderId",
                "trigger.body.ok",
                "trigger.body.none",
                "trigger.body.missing",
                "trigger.body.missing.deeper",
                "trigger.body",
                "steps.order.output",
                "steps.order.output.total",
                "steps.order.output.nested",
                "steps.order.output.lines",
                "steps.order.output.one",
                "trigger.body.lines.sku",
                "steps.empty.output",
                "nothing")) {
            assertThat(Expression.compile(source).evaluate(CONTEXT, ExpressionLimits.DEFAULT))
                    .as(source)
                    .isEqualTo(jsonata(source));
        }
    }

    @Test
    void pathsWithOperatorsOrVariablesAreLeftToJsonata() {
        assertThat(Expression.compile("trigger.body.orderId & '-x'").evaluate(CONTEXT, ExpressionLimits.DEFAULT))
                .isEqualTo("A-1-x");
        assertThat(Expression.compile("$count(trigger.body.lines)").evaluate(CONTEXT, ExpressionLimits.DEFAULT))
                .isEqualTo(2);
    }

    @Test
    void aPlainPathToAValueOverTheSizeBudgetFails() {
        Map<String, Object> big = new HashMap<>(CONTEXT);
        big.put("blob", Map.of("text", "x".repeat(2000)));
        ExpressionLimits small = new ExpressionLimits(ExpressionLimits.DEFAULT.timeout(), 200, 1000);
        assertThatThrownBy(() -> Expression.compile("blob").evaluate(big, small))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EXPRESSION_LIMIT));
        assertThat(Expression.compile("blob").evaluate(Map.of("blob", Map.of("t", "short")), small))
                .isEqualTo(Map.of("t", "short"));
    }

    @Test
    void sizeBoundNeverUnderestimates() {
        Object value = Json.read("{\"a\": [1, 2.5, \"\\u00e9\\n\\\"q\\\"\", null, true, {\"b\": \"cd\"}], \"e\": \""
                + "z".repeat(50) + "\"}");
        int actual = Json.write(value).length();
        assertThat(Json.sizeAtMost(value, actual - 1)).isFalse();
        assertThat(Json.sizeAtMost(value, 10L * actual)).isTrue();
    }

    @Test
    void evaluationsOnManyVirtualThreadsAtOnceShareNoScratchState() throws Exception {
        assertThat(JsonataScratch.active())
                .as("jsonata-java's per-thread instance is reachable (else every new thread builds a parser)")
                .isTrue();
        Expression total = Expression.compile("{ \"id\": trigger.id, \"total\": $sum(trigger.lines.(qty * price)) }");
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                Map<String, Object> ctx = Map.of(
                        "trigger", Json.read("{\"id\": %d, \"lines\": [{\"qty\": %d, \"price\": 2}]}".formatted(i, i)));
                results.add(threads.submit(() -> total.evaluate(ctx, ExpressionLimits.DEFAULT)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(Map.of("id", i, "total", 2 * i));
            }
        }
    }

    @Test
    void aFailedEvaluationLeavesTheThreadAsItFoundIt() {
        Expression failing = Expression.compile("$error(\"no\")");
        assertThatThrownBy(() -> failing.evaluate(CONTEXT, ExpressionLimits.DEFAULT))
                .isInstanceOf(JunctionException.class);
        assertThat(Expression.compile("trigger.body.lines[1].sku").evaluate(CONTEXT, ExpressionLimits.DEFAULT))
                .isEqualTo("b");
    }
}
