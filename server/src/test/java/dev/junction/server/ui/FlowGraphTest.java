package dev.junction.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.engine.flow.FlowParser;
import dev.junction.engine.flow.SourceFormat;
import gg.jte.output.StringOutput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowGraphTest {
    private static FlowGraph graph(String resource) throws Exception {
        try (var in = FlowGraphTest.class.getResourceAsStream(resource)) {
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return FlowGraph.of(new FlowParser().parse(source, SourceFormat.YAML));
        }
    }

    private static String html(FlowGraph graph, String label) {
        StringOutput out = new StringOutput();
        graph.html(label).writeTo(out);
        return out.toString();
    }

    @Test
    void nestsTheBranchesOfEveryStepTypeWithChildren() throws Exception {
        FlowGraph g = graph("/flows/branching.yaml");

        assertThat(g.trigger().type()).isEqualTo("webhook");
        assertThat(g.trigger().detail()).isEqualTo("POST /orders");
        assertThat(g.steps()).extracting(FlowGraph.Node::id).containsExactly("check", "route", "each", "both", "push");
        assertThat(g.steps())
                .extracting(
                        n -> n.branches().stream().map(FlowGraph.Branch::label).toList())
                .containsExactly(
                        List.of("then", "else"),
                        List.of("case DE", "default"),
                        List.of("each item"),
                        List.of("branch left", "branch right"),
                        List.of("on error"));
        assertThat(g.steps().getFirst().branches().getFirst().steps())
                .extracting(FlowGraph.Node::id, FlowGraph.Node::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("big", "map"));
        assertThat(g.steps().getFirst().line()).isEqualTo(5);
    }

    @Test
    void rendersNestedOrderedListsWithFocusableBoxes() throws Exception {
        String html = html(graph("/flows/branching.yaml"), "Steps of \"branching\"");

        assertThat(html)
                .startsWith("<ol class=\"graph\" aria-label=\"Steps of &#34;branching&#34;\">")
                .endsWith("</ol>");
        assertThat(html)
                .contains("<li class=\"node\"><span class=\"box\" tabindex=\"0\"><code class=\"node-id\">trigger</code>"
                        + " <span class=\"node-type\">webhook</span> <span class=\"node-detail\">POST /orders</span>")
                .contains("<span class=\"box\" tabindex=\"0\" data-line=\"5\"><code class=\"node-id\">check</code>"
                        + " <span class=\"node-type\">condition</span></span><ul class=\"branches\">"
                        + "<li class=\"branch\"><span class=\"branch-label\">then</span><ol class=\"graph\">")
                .contains("<span class=\"branch-label\">else</span><p class=\"empty\">no steps</p></li>");
        assertThat(count(html, "<ol")).isEqualTo(count(html, "</ol>")).isEqualTo(8);
        assertThat(count(html, "<li")).isEqualTo(count(html, "</li>"));
        assertThat(html).doesNotContain("style=");
    }

    @Test
    void escapesWhatTheDefinitionSays() throws Exception {
        String source = """
                id: esc
                name: x
                trigger: { type: manual }
                steps:
                  - id: route
                    type: switch
                    value: "trigger.body.tag"
                    cases:
                      "<b>":
                        - { id: bold, type: map, expression: "1" }
                """;
        FlowGraph g = FlowGraph.of(new FlowParser().parse(source, SourceFormat.YAML));
        String html = html(g, "<script>");

        assertThat(html)
                .contains("aria-label=\"&lt;script>\"")
                .contains("<span class=\"branch-label\">case &lt;b&gt;</span>")
                .doesNotContain("<script>")
                .doesNotContain("<b>");
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
