package dev.junction.engine.flow;

import dev.junction.engine.expr.Expression;
import dev.junction.engine.expr.ExpressionSyntaxException;
import dev.junction.engine.expr.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates flow definitions written in YAML or JSON (FLOWS.md). Every problem found is
 * reported at once, each with its line, column, field path and what was expected. Thread-safe.
 */
public final class FlowParser {
    static final Pattern FLOW_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern CONNECTION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern STEP_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    /**
     * Parses {@code text}.
     *
     * @throws FlowInvalidException listing every problem, in source order
     */
    public FlowDefinition parse(String text, SourceFormat format) {
        SourceTree tree = SourceTree.read(text, format);
        Context ctx = new Context(tree);
        FlowDefinition definition = new FlowReader(ctx).flow(tree.root());
        if (!ctx.problems.isEmpty()) {
            List<FlowProblem> sorted = new ArrayList<>(ctx.problems);
            sorted.sort(Comparator.comparingInt(FlowProblem::line).thenComparingInt(FlowProblem::column));
            throw new FlowInvalidException(sorted);
        }
        return definition;
    }

    /** Problems collected during one parse. */
    static final class Context {
        final SourceTree tree;
        final List<FlowProblem> problems = new ArrayList<>();

        Context(SourceTree tree) {
            this.tree = tree;
        }

        void problem(String path, String message, String expected) {
            Location l = tree.locate(path);
            FlowProblem problem = new FlowProblem(path, l.line(), l.column(), message, expected);
            if (!problems.contains(problem)) { // a field may be read twice (value, then references)
                problems.add(problem);
            }
        }
    }

    /** An object in the definition, with the fields it may have. */
    static final class Node {
        final Context ctx;
        final String path;
        final Map<String, Object> map;

        Node(Context ctx, String path, Map<String, Object> map) {
            this.ctx = ctx;
            this.path = path;
            this.map = map;
        }

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            return map.containsKey(key) && map.get(key) != null;
        }

        void allowOnly(Set<String> allowed, String what) {
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    ctx.problem(
                            at(key),
                            "unknown field '%s' in %s".formatted(key, what),
                            "one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
        }

        String string(String key, boolean required, String expected) {
            Object v = map.get(key);
            if (v == null) {
                if (required) {
                    ctx.problem(path, "missing required field '%s'".formatted(key), expected);
                }
                return null;
            }
            if (v instanceof String s) {
                return s;
            }
            if (v instanceof Number || v instanceof Boolean) {
                return String.valueOf(v);
            }
            ctx.problem(at(key), "'%s' must be text".formatted(key), expected);
            return null;
        }

        String matching(String key, boolean required, Pattern pattern, String expected) {
            String s = string(key, required, expected);
            if (s != null && !pattern.matcher(s).matches()) {
                ctx.problem(at(key), "'%s' is not valid for '%s'".formatted(s, key), expected);
                return null;
            }
            return s;
        }

        Expression expression(String key, boolean required) {
            String s = string(key, required, "a JSONata expression");
            if (s == null) {
                return null;
            }
            try {
                return Expression.compile(s);
            } catch (ExpressionSyntaxException e) {
                ctx.problem(
                        at(key),
                        "invalid JSONata at offset %d: %s".formatted(e.position(), e.getMessage()),
                        "a JSONata expression");
                return null;
            }
        }

        Template template(String key) {
            if (!map.containsKey(key)) {
                return null;
            }
            try {
                return Template.of(map.get(key));
            } catch (ExpressionSyntaxException e) {
                ctx.problem(
                        at(key),
                        "invalid template at offset %d: %s".formatted(e.position(), e.getMessage()),
                        "text with {{ JSONata }} templates");
                return null;
            }
        }

        Duration duration(String key) {
            Object v = map.get(key);
            if (v == null) {
                return null;
            }
            var parsed = v instanceof String s ? Durations.parse(s) : java.util.Optional.<Duration>empty();
            if (parsed.isEmpty() || parsed.get().isNegative()) {
                ctx.problem(
                        at(key),
                        "'%s' is not a duration".formatted(v),
                        "a duration such as 500ms, 10s, 5m, 2h, 1d or PT10S");
                return null;
            }
            return parsed.get();
        }

        Integer integer(String key, int min, int max) {
            Object v = map.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Number n
                    && n.doubleValue() == Math.rint(n.doubleValue())
                    && n.longValue() >= min
                    && n.longValue() <= max) {
                return n.intValue();
            }
            ctx.problem(
                    at(key),
                    "'%s' is not valid for '%s'".formatted(v, key),
                    "a whole number from %d to %d".formatted(min, max));
            return null;
        }

        Double number(String key, double min, double max) {
            Object v = map.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max) {
                return n.doubleValue();
            }
            ctx.problem(
                    at(key),
                    "'%s' is not valid for '%s'".formatted(v, key),
                    "a number from %s to %s".formatted(min, max));
            return null;
        }

        Node object(String key, boolean required, String expected) {
            Object v = map.get(key);
            if (v == null) {
                if (required) {
                    ctx.problem(path, "missing required field '%s'".formatted(key), expected);
                }
                return null;
            }
            if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) m;
                return new Node(ctx, at(key), typed);
            }
            ctx.problem(at(key), "'%s' must be an object".formatted(key), expected);
            return null;
        }

        List<Object> list(String key, boolean required, String expected) {
            Object v = map.get(key);
            if (v == null) {
                if (required) {
                    ctx.problem(path, "missing required field '%s'".formatted(key), expected);
                }
                return null;
            }
            if (v instanceof List<?> l) {
                return new ArrayList<>(l);
            }
            ctx.problem(at(key), "'%s' must be a list".formatted(key), expected);
            return null;
        }
    }

    /** Reads the flow object and, through {@link StepReader}, its steps. */
    static final class FlowReader {
        private final Context ctx;
        private final StepReader steps;

        FlowReader(Context ctx) {
            this.ctx = ctx;
            this.steps = new StepReader(ctx);
        }

        FlowDefinition flow(Object root) {
            if (!(root instanceof Map<?, ?>)) {
                ctx.problem("", "the definition must be an object", "a flow object with id, trigger and steps");
                return null;
            }
            @SuppressWarnings("unchecked")
            Node flow = new Node(ctx, "", (Map<String, Object>) root);
            flow.allowOnly(
                    Set.of(
                            "id",
                            "name",
                            "description",
                            "trigger",
                            "steps",
                            "concurrency",
                            "timeout",
                            "retry",
                            "onError",
                            "vars"),
                    "a flow");
            String id =
                    flow.matching("id", true, FLOW_ID, "1 to 64 of a-z, 0-9 and '-', starting with a letter or digit");
            String name = flow.string("name", false, "text");
            String description = flow.string("description", false, "text");
            Trigger trigger =
                    new TriggerReader(ctx).trigger(flow.object("trigger", true, "a trigger object with a type"));
            List<Step> body = steps.list(flow, "steps", true);
            FlowOptions options = options(flow);
            steps.checkReferences();
            if (id == null || trigger == null || body == null || options == null) {
                return null;
            }
            return new FlowDefinition(id, name == null ? id : name, description, trigger, body, options);
        }

        private FlowOptions options(Node flow) {
            int limit = 0;
            Node concurrency = flow.object("concurrency", false, "{ limit: <number> }");
            if (concurrency != null) {
                concurrency.allowOnly(Set.of("limit"), "concurrency");
                Integer l = concurrency.integer("limit", 1, 100_000);
                limit = l == null ? 0 : l;
            }
            Duration timeout = flow.duration("timeout");
            RetryPolicy retry = steps.retry(flow, null);
            List<Step> onError = flow.has("onError") ? steps.list(flow, "onError", false) : List.of();
            Map<String, Object> vars = new LinkedHashMap<>();
            Node v = flow.object("vars", false, "a map of variable name to value");
            if (v != null) {
                vars.putAll(v.map);
            }
            return new FlowOptions(limit, timeout, retry, onError == null ? List.of() : onError, vars);
        }
    }
}
