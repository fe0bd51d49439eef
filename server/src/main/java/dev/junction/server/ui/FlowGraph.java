package dev.junction.server.ui;

import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.Step;
import dev.junction.engine.flow.Trigger;
import gg.jte.Content;
import gg.jte.TemplateOutput;
import gg.jte.html.escape.Escape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A flow's steps as a graph for the web UI: the trigger, then the steps in order, each branching
 * step (condition, switch, foreach, parallel, and any step with {@code onError} steps) with its
 * branches nested under it. Rendered server-side as HTML that is semantically an ordered list of
 * steps holding unordered lists of branches (each an ordered list again); ui.css draws the boxes and
 * connectors. Every box is focusable and carries its source line for the editor.
 */
public record FlowGraph(Node trigger, List<Node> steps) {
    public FlowGraph {
        steps = List.copyOf(steps);
    }

    /** One box: {@code line} is 0 when the source has no position for it. */
    public record Node(String id, String type, String detail, int line, List<Branch> branches) {
        public Node {
            branches = List.copyOf(branches);
        }
    }

    /** A labelled list of steps under a branching step ("then", "else", a case, "each item"...). */
    public record Branch(String label, List<Node> steps) {
        public Branch {
            steps = List.copyOf(steps);
        }
    }

    /** The graph of a parsed definition. */
    public static FlowGraph of(FlowDefinition flow) {
        Trigger t = flow.trigger();
        return new FlowGraph(new Node("trigger", t.type(), detail(t), 0, List.of()), nodes(flow.steps()));
    }

    private static List<Node> nodes(List<Step> steps) {
        return steps.stream().map(FlowGraph::node).toList();
    }

    private static Node node(Step step) {
        List<Branch> branches = new ArrayList<>(
                switch (step) {
                    case Step.Condition c ->
                        List.of(new Branch("then", nodes(c.then())), new Branch("else", nodes(c.otherwise())));
                    case Step.Switch s -> cases(s);
                    case Step.ForEach f -> List.of(new Branch("each item", nodes(f.steps())));
                    case Step.Parallel p -> named("branch ", p.branches());
                    case Step.Mapping m -> List.<Branch>of();
                    case Step.Http h -> List.<Branch>of();
                    case Step.Call c -> List.<Branch>of();
                    case Step.Set s -> List.<Branch>of();
                    case Step.Respond r -> List.<Branch>of();
                    case Step.Fail f -> List.<Branch>of();
                    case Step.Delay d -> List.<Branch>of();
                });
        if (step.common().onError() instanceof Step.OnError.Handle h) {
            branches.add(new Branch("on error", nodes(h.steps())));
        }
        var location = step.common().location();
        return new Node(step.id(), step.common().type(), null, location == null ? 0 : location.line(), branches);
    }

    private static List<Branch> cases(Step.Switch s) {
        List<Branch> all = new ArrayList<>(named("case ", s.cases()));
        all.add(new Branch("default", nodes(s.otherwise())));
        return all;
    }

    private static List<Branch> named(String prefix, Map<String, List<Step>> lists) {
        return lists.entrySet().stream()
                .map(e -> new Branch(prefix + e.getKey(), nodes(e.getValue())))
                .toList();
    }

    private static String detail(Trigger t) {
        return switch (t) {
            case Trigger.Webhook w -> w.method() + " /" + w.path();
            case Trigger.Schedule s -> s.cron() != null ? s.cron() : "every " + s.every();
            case Trigger.Manual m -> null;
            case Trigger.Poll p -> p.connection() + " " + p.operation();
            case Trigger.Stream s -> s.connection() + " " + s.source();
        };
    }

    /**
     * The graph as HTML for a template's {@code ${...}} (every text escaped), labelled for assistive
     * technology by {@code label}.
     */
    public Content html(String label) {
        return out -> {
            out.writeContent("<ol class=\"graph\" aria-label=\"");
            Escape.htmlAttribute(label, out);
            out.writeContent("\">");
            item(trigger, out);
            steps.forEach(n -> item(n, out));
            out.writeContent("</ol>");
        };
    }

    private static void item(Node n, TemplateOutput out) {
        box(n, out);
        if (!n.branches().isEmpty()) {
            out.writeContent("<ul class=\"branches\">");
            for (Branch b : n.branches()) {
                out.writeContent("<li class=\"branch\"><span class=\"branch-label\">");
                Escape.htmlContent(b.label(), out);
                out.writeContent("</span>");
                if (b.steps().isEmpty()) {
                    out.writeContent("<p class=\"empty\">no steps</p>");
                } else {
                    out.writeContent("<ol class=\"graph\">");
                    b.steps().forEach(s -> item(s, out));
                    out.writeContent("</ol>");
                }
                out.writeContent("</li>");
            }
            out.writeContent("</ul>");
        }
        out.writeContent("</li>");
    }

    private static void box(Node n, TemplateOutput out) {
        out.writeContent("<li class=\"node\"><span class=\"box\" tabindex=\"0\"");
        if (n.line() > 0) {
            out.writeContent(" data-line=\"" + n.line() + "\"");
        }
        out.writeContent("><code class=\"node-id\">");
        Escape.htmlContent(n.id(), out);
        out.writeContent("</code> <span class=\"node-type\">");
        Escape.htmlContent(n.type(), out);
        out.writeContent("</span>");
        if (n.detail() != null) {
            out.writeContent(" <span class=\"node-detail\">");
            Escape.htmlContent(n.detail(), out);
            out.writeContent("</span>");
        }
        out.writeContent("</span>");
    }
}
