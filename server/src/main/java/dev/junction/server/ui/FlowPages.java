package dev.junction.server.ui;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowDefinition;
import dev.junction.engine.flow.FlowInvalidException;
import dev.junction.engine.flow.Trigger;
import dev.junction.engine.json.Json;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowVersion;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.server.flow.FlowVersions;
import dev.junction.server.run.ManualStarts;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The flow list, a flow's page (its latest source, read-only, its steps as a graph, its version
 * history and its recent runs) and <em>Run now</em> for manual flows, which needs the role the API
 * needs to start a run. The editor is {@link FlowEditorPages}; diffs and roll-backs are {@link
 * FlowHistoryPages}.
 */
@Controller
class FlowPages {
    static final String START = "POST /api/v1/flows/{id}/runs";

    private final FlowRepository flows;
    private final RunStore runs;
    private final ManualStarts starts;
    private final FlowVersions versions;
    private final Pages pages;

    FlowPages(FlowRepository flows, RunStore runs, ManualStarts starts, FlowVersions versions, Pages pages) {
        this.flows = flows;
        this.versions = versions;
        this.runs = runs;
        this.starts = starts;
        this.pages = pages;
    }

    @GetMapping("/ui/flows")
    ResponseEntity<String> list(HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        List<Views.FlowRow> rows = flows.list(caller.workspace()).stream()
                .map(f -> {
                    Run last = latest(caller.workspace(), f.flowId(), 1).stream()
                            .findFirst()
                            .orElse(null);
                    return new Views.FlowRow(
                            f.flowId(),
                            f.name(),
                            f.triggerType(),
                            f.latestVersion(),
                            f.enabled(),
                            last == null ? null : last.id(),
                            last == null ? null : last.status().name(),
                            last == null ? null : Views.time(last.createdAt()));
                })
                .toList();
        return pages.page(
                HttpStatus.OK,
                "flows.jte",
                "Flows",
                caller,
                Map.of("flows", rows, "mayCreate", caller.may(FlowEditorPages.CREATE)));
    }

    @GetMapping("/ui/flows/{id}")
    ResponseEntity<String> flow(
            @PathVariable String id,
            @RequestParam(required = false) Integer restored,
            @RequestParam(name = "as", required = false) Integer restoredAs,
            HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        var flow = flows.find(caller.workspace(), id).orElseThrow(() -> notFound(id));
        List<FlowVersion> history = flows.versions(caller.workspace(), id);
        FlowVersion latest = history.stream()
                .filter(v -> v.version() == flow.latestVersion())
                .findFirst()
                .orElseThrow(() -> notFound(id));
        Map<String, Object> params = new HashMap<>();
        params.put("flow", flow);
        params.put("source", latest.source());
        params.put("graph", graph(latest));
        SchemaForm input = inputForm(latest);
        params.put("inputFields", input == null ? null : input.fields(Map.of(), Map.of(), Set.of()));
        params.put("manual", "manual".equals(flow.triggerType()));
        params.put("mayStart", caller.may(START));
        params.put("needs", UiCaller.needs(START));
        params.put("mayEdit", caller.may(FlowEditorPages.UPDATE));
        params.put("editNeeds", UiCaller.needs(FlowEditorPages.UPDATE));
        params.put(
                "notice",
                restored == null || restoredAs == null
                        ? null
                        : "Rolled back: version %d has the source of version %d.".formatted(restoredAs, restored));
        params.put(
                "versions",
                history.stream()
                        .map(v -> new Views.VersionRow(v.version(), v.name(), Views.time(v.createdAt())))
                        .toList());
        params.put(
                "runs",
                latest(caller.workspace(), id, 10).stream()
                        .map(Views.RunRow::of)
                        .toList());
        return pages.page(HttpStatus.OK, "flow.jte", "Flow " + id, caller, params);
    }

    /**
     * Starts a run with the form's input and sends the browser to the new run's page. The input is
     * the form generated from the manual trigger's {@code inputSchema} when it has one (checked
     * field by field, problems next to their fields and everything typed kept), else JSON.
     */
    @PostMapping("/ui/flows/{id}/runs")
    ResponseEntity<String> start(
            @PathVariable String id, @RequestParam(defaultValue = "") String input, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(START)) {
            return pages.message(HttpStatus.FORBIDDEN, true, FlowEditorPages.forbidden(caller, "start a run", START));
        }
        var flow = flows.find(caller.workspace(), id).orElseThrow(() -> notFound(id));
        SchemaForm form = flows.versions(caller.workspace(), id).stream()
                .filter(v -> v.version() == flow.latestVersion())
                .findFirst()
                .map(this::inputForm)
                .orElse(null);
        Object body;
        if (form != null) {
            Map<String, String> typed = form.typed(request.getParameterMap());
            Map<String, String> errors = form.validate(typed, Set.of());
            if (!errors.isEmpty()) {
                return runNowForm(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        id,
                        form.fields(typed, errors, Set.of()),
                        input,
                        errors.containsKey(SchemaForm.FORM)
                                ? "INPUT_INVALID: " + errors.get(SchemaForm.FORM)
                                : "INPUT_INVALID: the input has problems, shown next to their fields");
            }
            body = form.read(typed).json();
        } else {
            try {
                body = input.isBlank() ? Map.of() : Json.read(input);
            } catch (RuntimeException e) {
                return runNowForm(
                        HttpStatus.BAD_REQUEST, id, null, input, "INPUT_INVALID: the run input is not valid JSON");
            }
        }
        String runId;
        try {
            runId = starts.start(caller.workspace(), id, body).run().id();
        } catch (JunctionException e) {
            List<SchemaForm.Field> fields =
                    form == null ? null : form.fields(form.typed(request.getParameterMap()), Map.of(), Set.of());
            HttpStatus status =
                    e.code() == ErrorCode.INPUT_INVALID ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.CONFLICT;
            return runNowForm(status, id, fields, input, e.code().name() + ": " + e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.OK)
                .header("HX-Redirect", "/ui/runs/" + runId)
                .body("");
    }

    private ResponseEntity<String> runNowForm(
            HttpStatus status, String flowId, List<SchemaForm.Field> fields, String input, String problem) {
        Map<String, Object> params = new HashMap<>();
        params.put("flowId", flowId);
        params.put("fields", fields);
        params.put("input", input);
        params.put("problem", problem);
        return pages.html(status, "runNowForm.jte", params);
    }

    /** The form of a manual trigger's {@code inputSchema}, or null (no schema, or one without properties). */
    private SchemaForm inputForm(FlowVersion v) {
        FlowDefinition definition;
        try {
            definition = versions.check(v.source(), v.format());
        } catch (FlowInvalidException e) {
            return null;
        }
        if (definition.trigger() instanceof Trigger.Manual m
                && m.inputSchema() != null
                && m.inputSchema().get("properties") instanceof Map<?, ?>) {
            return SchemaForm.of(m.inputSchema(), "input");
        }
        return null;
    }

    /** The graph of a stored version; null if it no longer parses (the parser grew stricter). */
    private FlowGraph graph(FlowVersion v) {
        try {
            return FlowGraph.of(versions.check(v.source(), v.format()));
        } catch (FlowInvalidException e) {
            return null;
        }
    }

    static JunctionException notFound(String id) {
        return new JunctionException(
                ErrorCode.FLOW_NOT_FOUND, "flow '%s' does not exist in this workspace".formatted(id));
    }

    private List<Run> latest(String workspace, String flowId, int limit) {
        return runs.list(workspace, new RunQuery(flowId, null, null, null, null, limit))
                .items();
    }
}
