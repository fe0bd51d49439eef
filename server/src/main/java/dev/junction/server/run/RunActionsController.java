package dev.junction.server.run;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.Replays;
import dev.junction.engine.json.Json;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.Page;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What operators do to runs: cancel one, replay one (from the failed step or the start, on the
 * pinned or the latest version), list the dead letters, and replay many at once by filter, with a
 * dry run that previews what would run.
 */
@RestController
class RunActionsController {
    private final RunStore runs;
    private final FlowEngine engine;
    private final JunctionSettings settings;

    RunActionsController(RunStore runs, FlowEngine engine, JunctionSettings settings) {
        this.runs = runs;
        this.engine = engine;
        this.settings = settings;
    }

    @PostMapping("/api/v1/runs/{id}/cancel")
    Map<String, Object> cancel(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, @PathVariable String id) {
        return RunController.summary(engine.cancel(workspace, id));
    }

    @PostMapping("/api/v1/runs/{id}/replay")
    ResponseEntity<Map<String, Object>> replay(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @PathVariable String id,
            HttpServletRequest request) {
        Map<String, Object> body = object(request, Set.of("from", "version"));
        Run created = engine.replays()
                .replay(workspace, id, from(body), version(body))
                .run();
        Map<String, Object> view = RunController.summary(created);
        view.put("replayOf", id);
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/runs/" + created.id()))
                .header("Junction-Run-Id", created.id())
                .body(view);
    }

    @GetMapping("/api/v1/dead-letters")
    Map<String, Object> deadLetters(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestParam(required = false) String flow,
            @RequestParam(required = false) String error,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        RunController.checkLimit(limit);
        Page<Run> page = runs.list(
                workspace,
                new RunQuery(
                        flow,
                        null,
                        RunController.instant("since", since),
                        RunController.instant("until", until),
                        error,
                        true,
                        cursor,
                        limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.items().stream().map(RunController::summary).toList());
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    /**
     * Replays every run a filter selects (default: the dead letters), at most {@link
     * Replays#BULK_LIMIT}; {@code dryRun} only reports what would be replayed and what would be refused.
     */
    @PostMapping("/api/v1/runs/replay")
    Map<String, Object> replayAll(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, HttpServletRequest request) {
        Map<String, Object> body = object(request, Set.of("filter", "from", "version", "dryRun"));
        Map<String, Object> filter =
                nested(body, "filter", Set.of("flow", "status", "error", "since", "until", "deadLetters"));
        Object dry = body.getOrDefault("dryRun", false);
        if (!(dry instanceof Boolean dryRun)) {
            throw field("dryRun", "must be true or false");
        }
        Object dead = filter.getOrDefault("deadLetters", !filter.containsKey("status"));
        if (!(dead instanceof Boolean deadLetters)) {
            throw field("filter.deadLetters", "must be true or false");
        }
        RunStatus status = RunController.status(text(filter, "status", "filter.status"));
        RunQuery query = new RunQuery(
                text(filter, "flow", "filter.flow"),
                status,
                RunController.instant("filter.since", text(filter, "since", "filter.since")),
                RunController.instant("filter.until", text(filter, "until", "filter.until")),
                text(filter, "error", "filter.error"),
                deadLetters,
                null,
                200);
        List<Replays.Outcome> outcomes =
                engine.replays().replayAll(workspace, query, from(body), version(body), dryRun);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dryRun", dryRun);
        out.put("selected", outcomes.size());
        out.put("replayed", outcomes.stream().filter(o -> o.errorCode() == null).count());
        out.put("refused", outcomes.stream().filter(o -> o.errorCode() != null).count());
        out.put("items", outcomes.stream().map(RunActionsController::outcome).toList());
        return out;
    }

    private static Map<String, Object> outcome(Replays.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", o.runId());
        m.put("flowId", o.flowId());
        if (o.newRunId() != null) {
            m.put("newRunId", o.newRunId());
        }
        if (o.errorCode() != null) {
            m.put("code", o.errorCode());
            m.put("message", o.message());
        }
        return m;
    }

    private Map<String, Object> object(HttpServletRequest request, Set<String> allowed) {
        return checked(RequestBodies.jsonObject(request, settings.maxBodyBytes()), allowed, "");
    }

    private static Map<String, Object> nested(Map<String, Object> body, String name, Set<String> allowed) {
        Object value = body.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw field(name, "must be an object");
        }
        return checked(map, allowed, name + ".");
    }

    private static Map<String, Object> checked(Map<?, ?> map, Set<String> allowed, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!allowed.contains(String.valueOf(k))) {
                throw field(prefix + k, "is not a known field; expected one of " + new java.util.TreeSet<>(allowed));
            }
            out.put(String.valueOf(k), v);
        });
        return out;
    }

    private static String text(Map<String, Object> m, String key, String field) {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw field(field, "must be a string");
    }

    private static Replays.From from(Map<String, Object> body) {
        Object from = body.getOrDefault("from", "failed-step");
        if ("failed-step".equals(from)) {
            return Replays.From.FAILED_STEP;
        }
        if ("start".equals(from)) {
            return Replays.From.START;
        }
        throw field("from", "must be \"failed-step\" or \"start\", was " + Json.write(from));
    }

    private static Replays.Version version(Map<String, Object> body) {
        Object version = body.getOrDefault("version", "original");
        if ("original".equals(version)) {
            return Replays.Version.ORIGINAL;
        }
        if ("latest".equals(version)) {
            return Replays.Version.LATEST;
        }
        throw field("version", "must be \"original\" or \"latest\", was " + Json.write(version));
    }

    private static ApiProblem field(String name, String problem) {
        return new ApiProblem(
                HttpStatus.BAD_REQUEST, "BAD_REQUEST", "'" + name + "' " + problem, Map.of("field", name));
    }
}
