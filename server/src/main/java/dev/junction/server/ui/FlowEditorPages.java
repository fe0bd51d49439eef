package dev.junction.server.ui;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowInvalidException;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowVersion;
import dev.junction.server.flow.FlowVersions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The flow editor: a new flow or the next version of one, its source in a CodeMirror editor
 * (editor.js; a plain textarea without it), checked on demand and on a pause in typing with the
 * engine's parser, and saved through {@link FlowVersions} like {@code POST/PUT /api/v1/flows}, with
 * the version the edit started from as the expected latest version. Answers to checks and failed
 * saves are the check panel (problems with their lines and the graph), so what the user typed stays
 * in the editor.
 */
@Controller
class FlowEditorPages {
    static final String CREATE = "POST /api/v1/flows";
    static final String UPDATE = "PUT /api/v1/flows/{id}";
    private static final String STARTER = """
            id: my-flow
            name: My flow
            trigger: { type: manual }
            steps:
              - id: greet
                type: map
                expression: "{ 'hello': trigger.body.name }"
            """;

    private final FlowRepository flows;
    private final FlowVersions versions;
    private final Pages pages;

    FlowEditorPages(FlowRepository flows, FlowVersions versions, Pages pages) {
        this.flows = flows;
        this.versions = versions;
        this.pages = pages;
    }

    @GetMapping("/ui/flows/new")
    ResponseEntity<String> create(HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(CREATE)) {
            return refusedPage(caller, "create a flow", CREATE);
        }
        return editor(caller, null, 0, STARTER, FlowCheck.NOTHING);
    }

    @GetMapping("/ui/flows/{id}/edit")
    ResponseEntity<String> edit(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(UPDATE)) {
            return refusedPage(caller, "change a flow", UPDATE);
        }
        var flow = flows.find(caller.workspace(), id).orElseThrow(() -> FlowPages.notFound(id));
        FlowVersion latest =
                flows.version(caller.workspace(), id, flow.latestVersion()).orElseThrow(() -> FlowPages.notFound(id));
        return editor(caller, id, latest.version(), latest.source(), check(latest.source()));
    }

    /** Checks the source without saving: the check panel with its problems, or the graph. */
    @PostMapping("/ui/flows/validate")
    ResponseEntity<String> validate(@RequestParam(defaultValue = "") String source, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(CREATE) && !caller.may(UPDATE)) {
            return refused(caller, "check flows", CREATE);
        }
        // 200 even with problems: the check itself worked (a 4xx would be a console error per pause)
        return panel(HttpStatus.OK, check(source));
    }

    @PostMapping("/ui/flows/new")
    ResponseEntity<String> saveNew(@RequestParam(defaultValue = "") String source, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(CREATE)) {
            return refused(caller, "create a flow", CREATE);
        }
        return save(source, () -> versions.create(caller.workspace(), source, FlowVersions.formatOf(source)), null);
    }

    @PostMapping("/ui/flows/{id}/edit")
    ResponseEntity<String> saveVersion(
            @PathVariable String id,
            @RequestParam(defaultValue = "") String source,
            @RequestParam int version,
            HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(UPDATE)) {
            return refused(caller, "change a flow", UPDATE);
        }
        return save(
                source,
                () -> versions.update(caller.workspace(), id, source, FlowVersions.formatOf(source), version),
                () -> stale(caller.workspace(), id, version));
    }

    /**
     * Saves and sends the browser to the flow's page, or answers the check panel: the problems at
     * their lines (422), or why the store refused (409), with a reload offer when the edit is stale.
     */
    private ResponseEntity<String> save(String source, Saving saving, Supplier<String> stale) {
        try {
            FlowVersion saved = saving.save();
            return ResponseEntity.ok()
                    .header("HX-Redirect", "/ui/flows/" + saved.flowId())
                    .body("");
        } catch (FlowInvalidException e) {
            return panel(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    new FlowCheck(
                            e.problems(),
                            null,
                            "FLOW_INVALID: not saved; fix the problems listed below and save again.",
                            null));
        } catch (JunctionException e) {
            String reload = stale == null || e.code() != ErrorCode.FLOW_CONFLICT ? null : stale.get();
            String message = reload != null
                    ? "FLOW_CONFLICT: someone saved a newer version of this flow since you opened the editor;"
                            + " your text was not saved and is still here. Copy what you need, then reload the"
                            + " editor to start from the latest version."
                    : e.code().name() + ": " + e.getMessage();
            HttpStatus status = e.code() == ErrorCode.FLOW_NOT_FOUND ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT;
            return panel(status, new FlowCheck(List.of(), graphOf(source), message, reload));
        }
    }

    /** Where to reload a stale edit from: the editor of the flow, if its latest version moved on. */
    private String stale(String workspace, String id, int version) {
        return flows.find(workspace, id)
                .filter(f -> f.latestVersion() != version)
                .map(f -> "/ui/flows/" + id + "/edit")
                .orElse(null);
    }

    @FunctionalInterface
    private interface Saving {
        FlowVersion save();
    }

    private FlowCheck check(String source) {
        try {
            return new FlowCheck(
                    List.of(), FlowGraph.of(versions.check(source, FlowVersions.formatOf(source))), null, null);
        } catch (FlowInvalidException e) {
            return new FlowCheck(e.problems(), null, null, null);
        }
    }

    private FlowGraph graphOf(String source) {
        return check(source).graph();
    }

    private ResponseEntity<String> editor(UiCaller caller, String id, int version, String source, FlowCheck check) {
        Map<String, Object> params = new HashMap<>();
        params.put("flowId", id);
        params.put("version", version);
        params.put("source", source);
        params.put("check", check);
        return pages.page(HttpStatus.OK, "flowEditor.jte", id == null ? "New flow" : "Edit flow " + id, caller, params);
    }

    private ResponseEntity<String> panel(HttpStatus status, FlowCheck check) {
        return pages.html(status, "flowCheck.jte", Map.of("check", check));
    }

    private ResponseEntity<String> refused(UiCaller caller, String what, String route) {
        return pages.message(HttpStatus.FORBIDDEN, true, forbidden(caller, what, route));
    }

    private ResponseEntity<String> refusedPage(UiCaller caller, String what, String route) {
        return pages.page(
                HttpStatus.FORBIDDEN, "error.jte", "Forbidden", caller, Map.of("text", forbidden(caller, what, route)));
    }

    static String forbidden(UiCaller caller, String what, String route) {
        return "FORBIDDEN: your role '%s' may not %s; that needs %s or higher"
                .formatted(caller.role().id(), what, UiCaller.needs(route));
    }
}
