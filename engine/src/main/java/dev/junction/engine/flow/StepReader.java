package dev.junction.engine.flow;

import dev.junction.engine.expr.Expression;
import dev.junction.engine.expr.Template;
import dev.junction.engine.flow.FlowParser.Context;
import dev.junction.engine.flow.FlowParser.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads step lists, checking ids are unique and references resolve. */
final class StepReader {
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
                            "one of the flow's step ids: " + String.join(", ", new java.util.TreeSet<>(ids.keySet())));
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
                "id", true, FlowParser.STEP_ID, "1 to 64 of A-Z, a-z, 0-9, '_' and '-', starting with a letter or '_'");
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
                                "one of call, condition, delay, fail, foreach, http, map, parallel, respond, set, switch");
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
                node.matching("connection", false, FlowParser.CONNECTION_ID, "a connection id such as crm or erp-prod");
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
                node.matching("connection", true, FlowParser.CONNECTION_ID, "a connection id such as crm or erp-prod");
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
                ranges.add(new Step.StatusRange(Integer.parseInt(s.substring(0, 3)), Integer.parseInt(s.substring(4))));
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
            ctx.problem(node.path, "a condition needs 'then' or 'else' steps", "then: [steps] and/or else: [steps]");
        }
        return e == null || then == null || otherwise == null ? null : new Step.Condition(common, e, then, otherwise);
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
        r.allowOnly(Set.of("maxAttempts", "initialDelay", "maxDelay", "multiplier", "jitter", "on"), "a retry policy");
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
