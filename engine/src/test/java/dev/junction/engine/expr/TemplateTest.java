package dev.junction.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private static final Map<String, Object> CTX =
            Map.of("trigger", Map.of("body", Map.of("n", 3, "name", "Ada", "tags", List.of("a", "b"), "ok", true)));

    private static Object render(Object template) {
        return Template.of(template).render(CTX, ExpressionLimits.DEFAULT);
    }

    @Test
    void wholeTemplateKeepsItsJsonType() {
        assertThat(render("{{ trigger.body.n }}")).isEqualTo(3);
        assertThat(render("{{ trigger.body.ok }}")).isEqualTo(true);
        assertThat(render("{{ trigger.body.tags }}")).isEqualTo(List.of("a", "b"));
        assertThat(render("{{ {'a': {'b': trigger.body.n}} }}")).isEqualTo(Map.of("a", Map.of("b", 3)));
    }

    @Test
    void mixedTemplateRendersText() {
        assertThat(render("n={{ trigger.body.n }} tags={{ trigger.body.tags }} who={{ trigger.body.name }}"))
                .isEqualTo("n=3 tags=[\"a\",\"b\"] who=Ada");
        assertThat(render("x{{ trigger.body.missing }}y")).isEqualTo("xy");
    }

    @Test
    void stringsWithoutBracesAndOtherScalarsAreLiterals() {
        assertThat(render("plain { text }")).isEqualTo("plain { text }");
        assertThat(render(42)).isEqualTo(42);
        assertThat(render(null)).isNull();
    }

    @Test
    void objectsAndArraysAreTemplatesOfTheirMembers() {
        assertThat(render(Map.of("who", "{{ trigger.body.name }}", "list", List.of("{{ trigger.body.n * 2 }}", "k"))))
                .isEqualTo(Map.of("who", "Ada", "list", List.of(6, "k")));
    }

    @Test
    void unclosedTemplateIsASyntaxError() {
        assertThatThrownBy(() -> Template.of("a {{ trigger"))
                .isInstanceOf(ExpressionSyntaxException.class)
                .hasMessageContaining("never closed");
    }

    @Test
    void runtimeErrorsAreExpressionErrors() {
        assertThatThrownBy(() -> render("{{ $number('x') }}"))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EXPRESSION_ERROR));
    }

    @Test
    void exceedingTheBudgetIsExpressionLimit() {
        ExpressionLimits tight = new ExpressionLimits(Duration.ofMillis(50), 50, 100);
        Expression big = Expression.compile("[1..1000]");
        assertThatThrownBy(() -> big.evaluate(Map.of(), tight))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EXPRESSION_LIMIT));
        Expression endless = Expression.compile("($f := function($x) { $f($x + 1) }; $f(0))");
        assertThatThrownBy(() -> endless.evaluate(Map.of(), tight))
                .isInstanceOfSatisfying(
                        JunctionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EXPRESSION_LIMIT));
    }
}
