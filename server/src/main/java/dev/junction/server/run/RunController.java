package dev.junction.server.run;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.json.Json;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.engine.run.StepAttempt;
import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Runs: manual starts, the filtered and paginated run list, and one run with its step attempts. */
@RestController
class RunController {
    private final RunStore runs;
    private final ManualStarts starts;
    private final JunctionSettings settings;

    RunController(RunStore runs, ManualStarts starts, JunctionSettings settings) {
        this.runs = runs;
        this.starts = starts;
        this.settings = settings;
    }

    @PostMapping("/api/v1/flows/{id}/runs")
    ResponseEntity<Map<String, Object>> start(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @PathVariable String id,
            HttpServletRequest request) {
        String text = RequestBodies.readText(request, settings.maxBodyBytes());
        Object input;
        try {
            input = text.isBlank() ? Map.of() : Json.read(text);
        } catch (RuntimeException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "INPUT_INVALID",
                    "the run input is not valid JSON: " + firstLine(e.getMessage()));
        }
        var handle = starts.start(workspace, id, input);
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/runs/" + handle.run().id()))
                .header("Junction-Run-Id", handle.run().id())
                .body(Map.of(
                        "runId",
                        handle.run().id(),
                        "status",
                        handle.run().status().name()));
    }

    @GetMapping("/api/v1/runs")
    Map<String, Object> list(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestParam(required = false) String flow,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(required = false) String error,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        checkLimit(limit);
        RunQuery query = new RunQuery(
                flow, status(status), instant("since", since), instant("until", until), error, false, q, cursor, limit);
        Page<Run> page = runs.list(workspace, query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(RunController::summary).toList());
        body.put("nextCursor", page.nextCursor());
        return body;
    }

    @GetMapping("/api/v1/runs/{id}")
    Map<String, Object> get(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, @PathVariable String id) {
        Run run = runs.find(workspace, id)
                .orElseThrow(() -> new JunctionException(
                        ErrorCode.RUN_NOT_FOUND, "run '%s' does not exist in this workspace".formatted(id)));
        Map<String, Object> view = summary(run);
        view.put("trigger", run.trigger());
        view.put("output", run.output());
        view.put(
                "steps",
                runs.attempts(workspace, id).stream()
                        .map(RunController::attempt)
                        .toList());
        return view;
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > 500) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "limit must be from 1 to 500, was " + limit,
                    Map.of("field", "limit"));
        }
    }

    static RunStatus status(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return RunStatus.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "status '%s' is not one of %s".formatted(s, Arrays.toString(RunStatus.values())),
                    Map.of("field", "status"));
        }
    }

    static Instant instant(String field, String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "%s '%s' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z".formatted(field, s),
                    Map.of("field", field));
        }
    }

    static Map<String, Object> summary(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("flowId", r.flowId());
        m.put("flowVersion", r.flowVersion());
        m.put("status", r.status().name());
        m.put("triggerType", r.triggerType());
        m.put("idempotencyKey", r.idempotencyKey());
        m.put("error", r.error());
        m.put("createdAt", text(r.createdAt()));
        m.put("startedAt", text(r.startedAt()));
        m.put("endedAt", text(r.endedAt()));
        if (r.replayOf() != null) {
            m.put("replayOf", r.replayOf());
        }
        if (r.replayedBy() != null) {
            m.put("replayedBy", r.replayedBy());
        }
        return m;
    }

    private static Map<String, Object> attempt(StepAttempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", a.seq());
        m.put("stepId", a.stepId());
        m.put("path", a.path());
        m.put("type", a.stepType());
        m.put("attempt", a.attempt());
        m.put("status", a.status().name());
        m.put("input", a.input());
        m.put("output", a.output());
        m.put(
                "error",
                a.error() == null
                        ? null
                        : Map.of("code", a.error().code(), "message", a.error().message()));
        m.put("startedAt", text(a.startedAt()));
        m.put("endedAt", text(a.endedAt()));
        m.put("durationMs", a.endedAt().toEpochMilli() - a.startedAt().toEpochMilli());
        return m;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
