package dev.junction.server.hook;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.WebhookAnswer;
import dev.junction.engine.expr.ExpressionLimits;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.json.Json;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunStatus;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.server.workspace.ArchivedWorkspaces;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Webhook ingress: {@code /hooks/{workspace}/{path}}. The event is stored with its run before any
 * answer; the caller then gets the {@code respond} step's answer, or 202 with the run id. Every
 * answer that concerns a run carries {@code Junction-Run-Id}. {@link WebhookFilter} calls it
 * outside Spring MVC's dispatcher, and writes what it answers.
 */
@Component
class WebhookIngress {
    private static final String RUN_HEADER = "Junction-Run-Id";
    private static final MediaType TEXT_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final FlowRepository flows;
    private final FlowEngine engine;
    private final JunctionSettings settings;
    private final ArchivedWorkspaces archived;

    WebhookIngress(FlowRepository flows, FlowEngine engine, JunctionSettings settings, ArchivedWorkspaces archived) {
        this.flows = flows;
        this.engine = engine;
        this.settings = settings;
        this.archived = archived;
    }

    /** The answer to a request for {@code /hooks/{workspace}/…}; bad input is thrown as a problem. */
    ResponseEntity<Object> receive(String workspace, HttpServletRequest request) {
        String prefix = "/hooks/" + workspace + "/";
        String uri = request.getRequestURI();
        String path = uri.length() > prefix.length()
                ? URLDecoder.decode(uri.substring(prefix.length()), StandardCharsets.UTF_8)
                : "";
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (archived.archived(workspace)) {
            throw notFound(workspace, method, path); // an archived workspace takes no events
        }
        var flow = flows.findWebhook(workspace, method, path).orElseThrow(() -> notFound(workspace, method, path));
        FlowDefinition definition = engine.definition(workspace, flow.flowId(), flow.latestVersion());
        Trigger.Webhook trigger = (Trigger.Webhook) definition.trigger();
        Map<String, Object> event = event(request, method, path);
        String key = idempotencyKey(trigger, event, request);
        FlowEngine.RunHandle handle = engine.start(
                workspace, flow.flowId(), flow.latestVersion(), new FlowEngine.TriggerEvent("webhook", event, key));
        String runId = handle.run().id();
        if (!handle.created() || !definition.responds()) {
            return accepted(runId, !handle.created());
        }
        return awaitAnswer(handle, trigger, runId);
    }

    private ResponseEntity<Object> awaitAnswer(FlowEngine.RunHandle handle, Trigger.Webhook trigger, String runId) {
        WebhookAnswer answer;
        try {
            answer = handle.answer().get(trigger.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return accepted(runId, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return accepted(runId, false);
        } catch (ExecutionException e) {
            return accepted(runId, false);
        }
        if (answer == null) {
            Run finished = finishedRun(handle);
            if (finished != null && finished.status() == RunStatus.FAILED) {
                var error = finished.error();
                Map<String, Object> props = new LinkedHashMap<>();
                props.put("runId", runId);
                props.put("step", error.stepId());
                ApiProblem problem = new ApiProblem(
                        HttpStatus.BAD_GATEWAY,
                        error.code(),
                        "the run failed before it could respond: " + error.message(),
                        props);
                return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
                        .header(RUN_HEADER, runId)
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(problem.toProblemDetail());
            }
            return accepted(runId, false);
        }
        var builder = ResponseEntity.status(answer.status()).header(RUN_HEADER, runId);
        answer.headers().forEach((name, value) -> builder.header(name, value));
        Object body = answer.body();
        boolean hasType = answer.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("content-type"));
        if (body == null) {
            return builder.build();
        }
        if (body instanceof String text) {
            return hasType ? builder.body(text) : builder.contentType(TEXT_UTF8).body(text);
        }
        return hasType
                ? builder.body(Json.write(body))
                : builder.contentType(MediaType.APPLICATION_JSON).body(Json.write(body));
    }

    /** The run completes its answer just before it is finished; wait briefly for the latter. */
    private static Run finishedRun(FlowEngine.RunHandle handle) {
        try {
            return handle.finished().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private static ResponseEntity<Object> accepted(String runId, boolean duplicate) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", runId);
        if (duplicate) {
            body.put("duplicate", true);
        }
        return ResponseEntity.accepted()
                .header(RUN_HEADER, runId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    private Map<String, Object> event(HttpServletRequest request, String method, String path) {
        byte[] raw = RequestBodies.read(request, settings.maxBodyBytes());
        String type =
                request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        Object body = body(raw, type);
        Map<String, Object> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", Collections.list(request.getHeaders(name))));
        }
        Map<String, Object> query = pairs(request.getQueryString(), true);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("body", body);
        event.put("headers", headers);
        event.put("query", query);
        event.put("method", method);
        event.put("path", path);
        return event;
    }

    private static Object body(byte[] raw, String type) {
        if (raw.length == 0) {
            return null;
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        if (type.startsWith("application/json") || type.contains("+json")) {
            try {
                return Json.read(text);
            } catch (RuntimeException e) {
                String reason = e.getMessage() == null
                        ? ""
                        : e.getMessage().lines().findFirst().orElse("");
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "BODY_INVALID",
                        "the body is declared as JSON but is not valid JSON: " + reason);
            }
        }
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return pairs(text, false);
        }
        return text;
    }

    /**
     * The {@code name=value} pairs of a query string or form body, decoded; a name given more than
     * once keeps all its values as a list ({@code repeatsAsList}) or its last value.
     */
    private static Map<String, Object> pairs(String text, boolean repeatsAsList) {
        Map<String, Object> pairs = new LinkedHashMap<>();
        if (text == null) {
            return pairs;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        repeatsAsList ? "QUERY_INVALID" : "BODY_INVALID",
                        "the %s has a malformed %%-escape in '%s'"
                                .formatted(repeatsAsList ? "query string" : "form body", pair));
            }
            pairs.merge(name, value, (before, added) -> {
                if (!repeatsAsList) {
                    return added;
                }
                List<Object> values =
                        before instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>(List.of(before));
                values.add(added);
                return values;
            });
        }
        return pairs;
    }

    private static String idempotencyKey(
            Trigger.Webhook trigger, Map<String, Object> event, HttpServletRequest request) {
        if (trigger.idempotencyKey() != null) {
            Object key;
            try {
                key = trigger.idempotencyKey().render(Map.of("trigger", event), ExpressionLimits.DEFAULT);
            } catch (JunctionException e) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "IDEMPOTENCY_KEY_INVALID",
                        "the flow's idempotencyKey could not be computed from this request: " + e.getMessage());
            }
            if (key == null || String.valueOf(key).isBlank()) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "IDEMPOTENCY_KEY_MISSING",
                        "the flow's idempotencyKey is empty for this request; the request must carry the field it names");
            }
            return key instanceof String s ? s : Json.write(key);
        }
        String header = request.getHeader("Idempotency-Key");
        return header == null || header.isBlank() ? null : header.strip();
    }

    private JunctionException notFound(String workspace, String method, String path) {
        return new JunctionException(
                ErrorCode.WEBHOOK_NOT_FOUND,
                "no enabled flow listens to %s /hooks/%s/%s".formatted(method, workspace, path));
    }
}
