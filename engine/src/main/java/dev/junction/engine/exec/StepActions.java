package dev.junction.engine.exec;

import dev.junction.engine.connector.Bodies;
import dev.junction.engine.connector.CallContext;
import dev.junction.engine.connector.ConnectorException;
import dev.junction.engine.connector.OutboundHttp;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.expr.Template;
import dev.junction.engine.flow.Step;
import dev.junction.engine.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * What each step type does in one attempt. Simple steps return their output; branching steps run
 * their nested steps through the {@link RunExecution}. Failures are {@link StepFailure}s (this
 * attempt failed) or {@link RunExecution.StepError}s (a nested step failed for good).
 */
final class StepActions {
    private static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(30);

    private final RunExecution execution;

    StepActions(RunExecution execution) {
        this.execution = execution;
    }

    /** Where an attempt runs and what it was given; {@code input} is filled in by the action. */
    static final class Attempt {
        final String path;
        final int number;
        final Instant started;
        Object input;

        Attempt(String path, int number, Instant started) {
            this.path = path;
            this.number = number;
            this.started = started;
        }
    }

    Object perform(Step step, Scope scope, Attempt attempt) {
        try {
            return switch (step) {
                case Step.Mapping m -> {
                    attempt.input = Map.of("expression", m.expression().source());
                    yield m.expression()
                            .evaluate(scope.context(), execution.services().limits());
                }
                case Step.Http h -> http(h, scope, attempt);
                case Step.Call c -> call(c, scope, attempt);
                case Step.Condition c -> condition(c, scope, attempt);
                case Step.Switch s -> switchStep(s, scope, attempt);
                case Step.ForEach f -> forEach(f, scope, attempt);
                case Step.Parallel p -> parallel(p, scope, attempt);
                case Step.Set s -> set(s, scope, attempt);
                case Step.Respond r -> respond(r, scope, attempt);
                case Step.Fail f -> fail(f, scope, attempt);
                case Step.Delay d -> delay(d, scope, attempt);
            };
        } catch (JunctionException e) {
            throw StepFailure.of(e);
        }
    }

    /**
     * {@code <runId>:<step path>}: the same on every retry of one step, different for each item of
     * a {@code foreach} ({@code <runId>:lines[2]/push}); a top-level step's path is its id.
     */
    private String idempotencyKey(Attempt attempt) {
        return execution.run().id() + ":" + attempt.path;
    }

    private Object render(Template template, Scope scope) {
        return template == null
                ? null
                : template.render(scope.context(), execution.services().limits());
    }

    private Object http(Step.Http h, Scope scope, Attempt attempt) {
        String method = String.valueOf(render(h.method(), scope)).toUpperCase(java.util.Locale.ROOT);
        Object url = render(h.url(), scope);
        if (!(url instanceof String)) {
            throw new StepFailure(
                    "STEP_FAILED", "'url' rendered to %s, not text".formatted(Json.write(url)), false, null, null);
        }
        Map<String, String> headers = textMap(render(h.headers(), scope), "headers");
        Map<String, String> query = textMap(render(h.query(), scope), "query");
        headers.putIfAbsent("Idempotency-Key", idempotencyKey(attempt));
        Object body = render(h.body(), scope);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("method", method);
        input.put("url", url);
        if (h.connection() != null) {
            input.put("connection", h.connection());
        }
        input.put("headers", headers);
        input.put("query", query);
        input.put("body", body);
        attempt.input = input;
        OutboundHttp.Response response;
        try {
            OutboundHttp.Body encoded = Bodies.encode(body, contentType(headers));
            OutboundHttp client = h.connection() == null
                    ? execution.services().http()
                    : execution.services().connections().http(execution.run().workspaceId(), h.connection());
            response = client.send(
                    new OutboundHttp.Request(method, (String) url, headers, query, encoded, timeout(h.common())));
        } catch (ConnectorException e) {
            throw failure(e);
        }
        Map<String, Object> output = response.toOutput();
        int status = response.status();
        if (h.acceptStatus().stream().noneMatch(r -> r.contains(status))) {
            throw statusFailure(method, (String) url, response, output);
        }
        return output;
    }

    private Object call(Step.Call c, Scope scope, Attempt attempt) {
        Object input = render(c.input(), scope);
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("connection", c.connection());
        recorded.put("operation", c.operation());
        recorded.put("input", input);
        attempt.input = recorded;
        String stepKey = idempotencyKey(attempt);
        try {
            return execution
                    .services()
                    .connections()
                    .call(
                            execution.run().workspaceId(),
                            c.connection(),
                            c.operation(),
                            input,
                            new CallContext(execution.run().id(), c.id(), stepKey, timeout(c.common())));
        } catch (ConnectorException e) {
            throw failure(e);
        }
    }

    private Duration timeout(Step.Common common) {
        Duration timeout = common.timeout() == null ? DEFAULT_HTTP_TIMEOUT : common.timeout();
        Duration remaining = execution.remaining();
        if (remaining != null && remaining.compareTo(timeout) < 0) {
            timeout = remaining.isNegative() || remaining.isZero() ? Duration.ofMillis(1) : remaining;
        }
        return timeout;
    }

    static StepFailure failure(ConnectorException e) {
        return new StepFailure(e.code(), e.getMessage(), e.retryable(), e.retryAfter(), e.output());
    }

    private static String contentType(Map<String, String> headers) {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("content-type")) {
                return e.getValue();
            }
        }
        return null;
    }

    private StepFailure statusFailure(
            String method, String url, OutboundHttp.Response response, Map<String, Object> output) {
        int status = response.status();
        String code =
                switch (status) {
                    case 408 -> "HTTP_408";
                    case 425 -> "HTTP_425";
                    case 429 -> "HTTP_429";
                    default -> status >= 500 ? "HTTP_5XX" : "HTTP_4XX";
                };
        boolean retryable = !"HTTP_4XX".equals(code);
        Object answer = output.get("body");
        String snippet = answer == null ? "" : abbreviate(answer instanceof String s ? s : Json.write(answer));
        String where = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        return new StepFailure(
                code,
                "%s %s answered %d%s".formatted(method, where, status, snippet.isEmpty() ? "" : ": " + snippet),
                retryable,
                HttpCaller.retryAfter(
                        response.header("retry-after"), execution.services().clock()),
                output);
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= 300 ? one : one.substring(0, 297) + "...";
    }

    private static Map<String, String> textMap(Object value, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new StepFailure(
                    "STEP_FAILED",
                    "'%s' rendered to %s, not an object".formatted(field, Json.write(value)),
                    false,
                    null,
                    null);
        }
        map.forEach((k, v) -> {
            if (v != null) {
                out.put(String.valueOf(k), v instanceof String s ? s : Json.write(v));
            }
        });
        return out;
    }

    private Object condition(Step.Condition c, Scope scope, Attempt attempt) {
        Object value =
                c.condition().evaluate(scope.context(), execution.services().limits());
        boolean then = RunExecution.truthy(value);
        attempt.input = inputOf("if", c.condition().source(), value);
        execution.steps(then ? c.then() : c.otherwise(), scope);
        return Map.of("branch", then ? "then" : "else");
    }

    private Object switchStep(Step.Switch s, Scope scope, Attempt attempt) {
        Object value = s.value().evaluate(scope.context(), execution.services().limits());
        String key = value instanceof String text ? text : value == null ? "null" : Json.write(value);
        attempt.input = inputOf("value", s.value().source(), value);
        boolean matched = s.cases().containsKey(key);
        execution.steps(matched ? s.cases().get(key) : s.otherwise(), scope);
        return Map.of("case", matched ? key : "default");
    }

    private static Map<String, Object> inputOf(String field, String source, Object value) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put(field, source);
        input.put("value", value);
        return input;
    }

    private Object forEach(Step.ForEach f, Scope scope, Attempt attempt) {
        Object value = f.items().evaluate(scope.context(), execution.services().limits());
        List<?> items = value == null ? List.of() : value instanceof List<?> l ? l : List.of(value);
        attempt.input = Map.of("items", f.items().source(), "count", items.size());
        List<Object> outputs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            outputs.add(null);
        }
        if (f.concurrency() <= 1 || items.size() <= 1) {
            for (int i = 0; i < items.size(); i++) {
                Scope child = scope.child(f.id() + "[" + i + "]/", items.get(i), i);
                outputs.set(i, execution.outputOf(execution.steps(f.steps(), child)));
            }
            return outputs;
        }
        Semaphore permits = new Semaphore(f.concurrency());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                int index = i;
                acquire(permits);
                futures.add(pool.submit(() -> {
                    try {
                        Scope child = scope.child(f.id() + "[" + index + "]/", items.get(index), index);
                        outputs.set(index, execution.outputOf(execution.steps(f.steps(), child)));
                    } finally {
                        permits.release();
                    }
                }));
            }
            awaitAll(futures);
        }
        return outputs;
    }

    private Object parallel(Step.Parallel p, Scope scope, Attempt attempt) {
        attempt.input = Map.of("branches", List.copyOf(p.branches().keySet()));
        Map<String, Object> outputs = new java.util.concurrent.ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            p.branches()
                    .forEach((name, steps) -> futures.add(pool.submit(() -> {
                        Object out = execution.outputOf(
                                execution.steps(steps, scope.child(p.id() + "." + name + "/", null, null)));
                        if (out != null) {
                            outputs.put(name, out);
                        }
                    })));
            awaitAll(futures);
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        p.branches().keySet().forEach(name -> ordered.put(name, outputs.get(name)));
        return ordered;
    }

    private static void acquire(Semaphore permits) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("CANCELLED", "the run was interrupted", false, null, null);
        }
    }

    /** Waits for every branch; rethrows the first branch's failure in submission order. */
    private static void awaitAll(List<Future<?>> futures) {
        RuntimeException first = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailure("CANCELLED", "the run was interrupted", false, null, null);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Object set(Step.Set s, Scope scope, Attempt attempt) {
        Map<String, Object> values = new LinkedHashMap<>();
        s.vars().forEach((name, template) -> values.put(name, render(template, scope)));
        attempt.input = Map.of("vars", List.copyOf(values.keySet()));
        values.forEach((k, v) -> {
            if (v == null) {
                execution.vars().remove(k);
            } else {
                execution.vars().put(k, v);
            }
        });
        return values;
    }

    private Object respond(Step.Respond r, Scope scope, Attempt attempt) {
        Object status = render(r.status(), scope);
        if (!(status instanceof Number n) || n.intValue() < 100 || n.intValue() > 599) {
            throw new StepFailure(
                    "STEP_FAILED",
                    "'status' rendered to %s, not an HTTP status".formatted(Json.write(status)),
                    false,
                    null,
                    null);
        }
        Map<String, String> headers = textMap(render(r.headers(), scope), "headers");
        Object body = render(r.body(), scope);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("status", n.intValue());
        input.put("headers", headers);
        input.put("body", body);
        attempt.input = input;
        execution.respond(new WebhookAnswer(n.intValue(), headers, execution.redacted(body)));
        return null;
    }

    private Object fail(Step.Fail f, Scope scope, Attempt attempt) {
        String code = String.valueOf(render(f.code(), scope));
        String message = String.valueOf(render(f.message(), scope));
        attempt.input = Map.of("code", code, "message", message);
        throw new StepFailure(code, message, false, null, null);
    }

    private Object delay(Step.Delay d, Scope scope, Attempt attempt) {
        Instant due;
        if (d.duration() != null) {
            due = execution.timer(attempt.path, d.duration());
            attempt.input = Map.of("duration", d.duration().toString(), "until", due.toString());
        } else {
            due = instant(render(d.until(), scope));
            attempt.input = Map.of("until", due.toString());
        }
        execution.waitUntil(due);
        return Map.of("resumedAt", execution.services().clock().instant().toString());
    }

    private static Instant instant(Object value) {
        try {
            if (value instanceof Number n) {
                return Instant.ofEpochMilli(n.longValue());
            }
            if (value instanceof String s) {
                return java.time.OffsetDateTime.parse(s).toInstant();
            }
        } catch (DateTimeParseException e) {
            // fall through to the failure below
        }
        throw new StepFailure(
                "STEP_FAILED",
                "'until' rendered to %s, not an ISO-8601 time with offset or epoch milliseconds"
                        .formatted(Json.write(value)),
                false,
                null,
                null);
    }
}
