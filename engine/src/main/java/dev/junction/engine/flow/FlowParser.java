package dev.junction.engine.flow;

import dev.junction.engine.expr.Expression;
import dev.junction.engine.expr.ExpressionSyntaxException;
import dev.junction.engine.expr.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and validates flow definitions written in YAML or JSON (FLOWS.md). Every problem found is
 * reported at once, each with its line, column, field path and what was expected. Thread-safe.
 */
public final class FlowParser {
    static final Pattern FLOW_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern CONNECTION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Pattern STEP_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    private static final Pattern STEP_REFERENCE =
            Pattern.compile("\\bsteps\\s*\\.\\s*(?:`([^`]+)`|([A-Za-z_$][A-Za-z0-9_$]*))");
    private static final Set<String> NOT_YET = Set.of("approval", "subflow", "emit");
    private static final Set<String> RETRYABLE_CLASSES = Set.of(
            "TIMEOUT",
            "CONNECTION",
            "HTTP_408",
            "HTTP_425",
            "HTTP_429",
            "HTTP_5XX",
            "HTTP_4XX",
            "EXPRESSION_ERROR",
            "STEP_FAILED");

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

    /** Reads step lists, checking ids are unique and references resolve. */
    static final class StepReader {
        private static final Set<String> COMMON =
                Set.of("id", "type", "name", "description", "when", "retry", "timeout", "onError");
        private final Context ctx;
        private final Map<String, String> ids = new HashMap<>();
        private final List<Map.Entry<String, Expression>> references = new ArrayList<>();

        StepReader(Context ctx) {
            this.ctx = ctx;
        }

        List<Step> list(Node parent, String key, boolean required) {
            List<Object> items = parent.list(key, required, "a list of steps");
            if (items == null) {
                return null;
            }
            if (items.isEmpty() && required) {
                ctx.problem(parent.at(key), "'%s' is empty".formatted(key), "at least one step");
            }
            List<Step> result = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String path = parent.at(key) + "[" + i + "]";
                if (!(items.get(i) instanceof Map<?, ?> m)) {
                    ctx.problem(path, "a step must be an object", "an object with id and type");
                    continue;
                }
                @SuppressWarnings("unchecked")
                Step step = step(new Node(ctx, path, (Map<String, Object>) m));
                if (step != null) {
                    result.add(step);
                }
            }
            return result;
        }

        void checkReferences() {
            for (var ref : references) {
                Matcher m = STEP_REFERENCE.matcher(ref.getValue().source());
                while (m.find()) {
                    String id = m.group(1) != null ? m.group(1) : m.group(2);
                    if (!ids.containsKey(id)) {
                        ctx.problem(
                                ref.getKey(),
                                "reference to unknown step '%s'".formatted(id),
                                "one of the flow's step ids: "
                                        + String.join(", ", new java.util.TreeSet<>(ids.keySet())));
                    }
                }
            }
        }

        private void track(String path, Expression expression) {
            if (expression != null) {
                references.add(Map.entry(path, expression));
            }
        }

        private void track(String path, Template template) {
            if (template != null) {
                template.expressions().forEach(e -> track(path, e));
            }
        }

        private Step step(Node node) {
            String id = node.matching(
                    "id", true, STEP_ID, "1 to 64 of A-Z, a-z, 0-9, '_' and '-', starting with a letter or '_'");
            String type = node.string("type", true, "a step type");
            if (id != null) {
                String earlier = ids.putIfAbsent(id, node.path);
                if (earlier != null) {
                    Location first = ctx.tree.locate(earlier);
                    ctx.problem(
                            node.at("id"),
                            "duplicate step id '%s' (first used at line %d)".formatted(id, first.line()),
                            "step ids unique in the flow");
                }
            }
            if (type == null) {
                return null;
            }
            Expression when = node.expression("when", false);
            track(node.at("when"), when);
            RetryPolicy retry = retry(node, type);
            Duration timeout = node.duration("timeout");
            Step.OnError onError = onError(node);
            Step.Common common = new Step.Common(id, type, when, retry, timeout, onError, ctx.tree.locate(node.path));
            Step step =
                    switch (type) {
                        case "map" -> mapping(node, common);
                        case "http" -> http(node, common);
                        case "call" -> call(node, common);
                        case "condition" -> condition(node, common);
                        case "switch" -> switchStep(node, common);
                        case "foreach" -> forEach(node, common);
                        case "parallel" -> parallel(node, common);
                        case "set" -> set(node, common);
                        case "respond" -> respond(node, common);
                        case "fail" -> fail(node, common);
                        case "delay" -> delay(node, common);
                        default -> {
                            String why = NOT_YET.contains(type) || "validate".equals(type)
                                    ? "step type '%s' is not available in this version of Junction".formatted(type)
                                    : "unknown step type '%s'".formatted(type);
                            ctx.problem(
                                    node.at("type"),
                                    why,
                                    "one of condition, delay, fail, foreach, http, map, parallel, respond, set, switch");
                            yield null;
                        }
                    };
            return id == null ? null : step;
        }

        private Set<String> fields(String... own) {
            var all = new java.util.HashSet<>(COMMON);
            all.addAll(List.of(own));
            return all;
        }

        private Step mapping(Node node, Step.Common common) {
            node.allowOnly(fields("expression"), "a map step");
            Expression e = node.expression("expression", true);
            track(node.at("expression"), e);
            return e == null ? null : new Step.Mapping(common, e);
        }

        private Step http(Node node, Step.Common common) {
            node.allowOnly(
                    fields("method", "url", "headers", "query", "body", "connection", "acceptStatus"), "an http step");
            if (!node.has("url")) {
                ctx.problem(node.path, "missing required field 'url'", "the URL to call");
            }
            String connection =
                    node.matching("connection", false, CONNECTION_ID, "a connection id such as crm or erp-prod");
            Template method = node.has("method") ? tracked(node, "method") : new Template.Literal("GET");
            if (method instanceof Template.Literal(Object m)
                    && !(m instanceof String s
                            && Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
                                    .contains(s))) {
                ctx.problem(
                        node.at("method"),
                        "'%s' is not an HTTP method".formatted(m),
                        "GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS");
            }
            Template url = tracked(node, "url");
            Template headers = objectTemplate(node, "headers");
            Template query = objectTemplate(node, "query");
            Template body = tracked(node, "body");
            List<Step.StatusRange> accept = statusRanges(node);
            return url == null ? null : new Step.Http(common, method, url, headers, query, body, connection, accept);
        }

        private Step call(Node node, Step.Common common) {
            node.allowOnly(fields("connection", "operation", "input"), "a call step");
            String connection =
                    node.matching("connection", true, CONNECTION_ID, "a connection id such as crm or erp-prod");
            String operation = node.string("operation", true, "the name of one of the connector's operations");
            Template input = tracked(node, "input");
            return connection == null || operation == null ? null : new Step.Call(common, connection, operation, input);
        }

        private Template objectTemplate(Node node, String key) {
            if (node.has(key) && !(node.map.get(key) instanceof Map<?, ?>)) {
                ctx.problem(node.at(key), "'%s' must be an object of name to value".formatted(key), "an object");
                return null;
            }
            return tracked(node, key);
        }

        /** Compiles a template field once and remembers its step references for the final check. */
        private Template tracked(Node node, String key) {
            Template t = node.template(key);
            track(node.at(key), t);
            return t;
        }

        private List<Step.StatusRange> statusRanges(Node node) {
            if (!node.has("acceptStatus")) {
                return List.of(new Step.StatusRange(200, 299));
            }
            Object raw = node.map.get("acceptStatus");
            List<?> items = raw instanceof List<?> l ? l : List.of(raw);
            List<Step.StatusRange> ranges = new ArrayList<>();
            for (Object item : items) {
                String s = String.valueOf(item).strip();
                if (s.matches("[1-5]xx")) {
                    int base = (s.charAt(0) - '0') * 100;
                    ranges.add(new Step.StatusRange(base, base + 99));
                } else if (s.matches("[1-5]\\d\\d")) {
                    ranges.add(new Step.StatusRange(Integer.parseInt(s), Integer.parseInt(s)));
                } else if (s.matches("[1-5]\\d\\d-[1-5]\\d\\d")) {
                    ranges.add(new Step.StatusRange(
                            Integer.parseInt(s.substring(0, 3)), Integer.parseInt(s.substring(4))));
                } else {
                    ctx.problem(
                            node.at("acceptStatus"),
                            "'%s' is not a status, class or range".formatted(s),
                            "a list of statuses such as 200, 2xx or 200-204");
                }
            }
            return ranges;
        }

        private Step condition(Node node, Step.Common common) {
            node.allowOnly(fields("if", "then", "else"), "a condition step");
            Expression e = node.expression("if", true);
            track(node.at("if"), e);
            List<Step> then = node.has("then") ? list(node, "then", false) : List.of();
            List<Step> otherwise = node.has("else") ? list(node, "else", false) : List.of();
            if (!node.has("then") && !node.has("else")) {
                ctx.problem(
                        node.path, "a condition needs 'then' or 'else' steps", "then: [steps] and/or else: [steps]");
            }
            return e == null || then == null || otherwise == null
                    ? null
                    : new Step.Condition(common, e, then, otherwise);
        }

        private Step switchStep(Node node, Step.Common common) {
            node.allowOnly(fields("value", "cases", "default"), "a switch step");
            Expression e = node.expression("value", true);
            track(node.at("value"), e);
            Node casesNode = node.object("cases", true, "a map of value to steps");
            Map<String, List<Step>> cases = new LinkedHashMap<>();
            if (casesNode != null) {
                for (String key : casesNode.map.keySet()) {
                    List<Step> branch = list(casesNode, key, false);
                    if (branch != null) {
                        cases.put(key, branch);
                    }
                }
            }
            List<Step> otherwise = node.has("default") ? list(node, "default", false) : List.of();
            return e == null || casesNode == null || otherwise == null
                    ? null
                    : new Step.Switch(common, e, cases, otherwise);
        }

        private Step forEach(Node node, Step.Common common) {
            node.allowOnly(fields("items", "concurrency", "steps"), "a foreach step");
            Expression items = node.expression("items", true);
            track(node.at("items"), items);
            Integer concurrency = node.integer("concurrency", 1, 256);
            List<Step> body = list(node, "steps", true);
            return items == null || body == null
                    ? null
                    : new Step.ForEach(common, items, concurrency == null ? 1 : concurrency, body);
        }

        private Step parallel(Node node, Step.Common common) {
            node.allowOnly(fields("branches"), "a parallel step");
            Node branchesNode = node.object("branches", true, "a map of branch name to steps");
            if (branchesNode == null) {
                return null;
            }
            Map<String, List<Step>> branches = new LinkedHashMap<>();
            for (String key : branchesNode.map.keySet()) {
                List<Step> branch = list(branchesNode, key, true);
                if (branch != null) {
                    branches.put(key, branch);
                }
            }
            return new Step.Parallel(common, branches);
        }

        private Step set(Node node, Step.Common common) {
            node.allowOnly(fields("vars"), "a set step");
            Node vars = node.object("vars", true, "a map of variable name to template");
            if (vars == null) {
                return null;
            }
            Map<String, Template> compiled = new LinkedHashMap<>();
            for (String key : vars.map.keySet()) {
                Template t = vars.template(key);
                track(vars.at(key), t);
                if (t != null) {
                    compiled.put(key, t);
                }
            }
            return new Step.Set(common, compiled);
        }

        private Step respond(Node node, Step.Common common) {
            node.allowOnly(fields("status", "headers", "body"), "a respond step");
            Template status = node.has("status") ? tracked(node, "status") : new Template.Literal(200);
            if (status instanceof Template.Literal(Object s)
                    && !(s instanceof Number n && n.intValue() >= 100 && n.intValue() <= 599)) {
                ctx.problem(node.at("status"), "'%s' is not an HTTP status".formatted(s), "a number from 100 to 599");
            }
            Template headers = objectTemplate(node, "headers");
            Template body = tracked(node, "body");
            return new Step.Respond(common, status, headers, body);
        }

        private Step fail(Node node, Step.Common common) {
            node.allowOnly(fields("code", "message"), "a fail step");
            Template code = node.has("code") ? tracked(node, "code") : new Template.Literal("STEP_FAILED");
            Template message = node.has("message")
                    ? tracked(node, "message")
                    : new Template.Literal("the flow failed at step " + common.id());
            return new Step.Fail(common, code, message);
        }

        private Step delay(Node node, Step.Common common) {
            node.allowOnly(fields("duration", "until"), "a delay step");
            if (node.has("duration") == node.has("until")) {
                ctx.problem(
                        node.path,
                        "a delay needs exactly one of 'duration' and 'until'",
                        "duration: 5m or until: \"{{ … }}\"");
                return null;
            }
            Duration duration = node.duration("duration");
            Template until = node.template("until");
            track(node.at("until"), until);
            return duration == null && until == null ? null : new Step.Delay(common, duration, until);
        }

        RetryPolicy retry(Node node, String type) {
            Node r = node.object("retry", false, "{ maxAttempts, initialDelay, maxDelay, multiplier, jitter, on }");
            if (r == null) {
                return null;
            }
            r.allowOnly(
                    Set.of("maxAttempts", "initialDelay", "maxDelay", "multiplier", "jitter", "on"), "a retry policy");
            RetryPolicy d = "http".equals(type) || "call".equals(type) || type == null
                    ? RetryPolicy.REMOTE_DEFAULT
                    : RetryPolicy.NONE;
            Integer attempts = r.integer("maxAttempts", 1, 100);
            Duration initial = r.duration("initialDelay");
            Duration max = r.duration("maxDelay");
            Double multiplier = r.number("multiplier", 1.0, 10.0);
            Double jitter = r.number("jitter", 0.0, 1.0);
            Set<String> on = new java.util.HashSet<>();
            List<Object> classes =
                    r.list("on", false, "a list of error codes such as TIMEOUT, HTTP_5XX, HTTP_429, CONNECTION");
            if (classes != null) {
                for (int i = 0; i < classes.size(); i++) {
                    String name = String.valueOf(classes.get(i));
                    if (RETRYABLE_CLASSES.contains(name)) {
                        on.add(name);
                    } else {
                        ctx.problem(
                                r.at("on") + "[" + i + "]",
                                "unknown error class '%s'".formatted(classes.get(i)),
                                "TIMEOUT, CONNECTION, HTTP_408, HTTP_425, HTTP_429, HTTP_5XX, HTTP_4XX, EXPRESSION_ERROR");
                    }
                }
            }
            return new RetryPolicy(
                    attempts == null ? 3 : attempts,
                    initial == null ? d.initialDelay() : initial,
                    max == null ? d.maxDelay() : max,
                    multiplier == null ? d.multiplier() : multiplier,
                    jitter == null ? d.jitter() : jitter,
                    on);
        }

        private Step.OnError onError(Node node) {
            Object v = node.map.get("onError");
            if (v == null || "fail".equals(v)) {
                return new Step.OnError.Fail();
            }
            if ("continue".equals(v)) {
                return new Step.OnError.Continue();
            }
            if (v instanceof List<?>) {
                List<Step> handler = list(node, "onError", false);
                return handler == null ? new Step.OnError.Fail() : new Step.OnError.Handle(handler);
            }
            ctx.problem(
                    node.at("onError"),
                    "'%s' is not valid for 'onError'".formatted(v),
                    "fail, continue, or a list of steps");
            return new Step.OnError.Fail();
        }
    }
}
