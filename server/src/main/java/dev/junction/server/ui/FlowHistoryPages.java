package dev.junction.server.ui;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.flow.FlowInvalidException;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.FlowRepository.FlowVersion;
import dev.junction.server.flow.FlowVersions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A flow's version history on its page: the unified diff between two versions (by default a
 * version and the one before it), and rolling back to a version, which asks for confirmation and
 * then saves that version's source as the next version through {@link FlowVersions}, exactly as
 * {@code PUT /api/v1/flows/{id}} would (same role, version check and audit).
 */
@Controller
class FlowHistoryPages {
    private final FlowRepository flows;
    private final FlowVersions versions;
    private final Pages pages;

    FlowHistoryPages(FlowRepository flows, FlowVersions versions, Pages pages) {
        this.flows = flows;
        this.versions = versions;
        this.pages = pages;
    }

    /** The diff from version {@code from} (default: the one before {@code to}) to {@code to}. */
    @GetMapping("/ui/flows/{id}/diff")
    ResponseEntity<String> diff(
            @PathVariable String id,
            @RequestParam int to,
            @RequestParam(required = false) Integer from,
            HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        int before = from == null ? to - 1 : from;
        FlowVersion after = version(caller.workspace(), id, to);
        String original =
                before == 0 ? "" : version(caller.workspace(), id, before).source();
        FlowDiff diff =
                FlowDiff.of(before == 0 ? "(nothing)" : "version " + before, original, "version " + to, after.source());
        Map<String, Object> params = Map.of("flowId", id, "diff", diff);
        if (request.getHeader("HX-Request") != null) {
            return pages.html(HttpStatus.OK, "flowDiff.jte", params);
        }
        return pages.page(HttpStatus.OK, "flowDiffPage.jte", "Flow " + id + ": changes", caller, params);
    }

    /** The confirmation step of a roll-back. */
    @GetMapping("/ui/flows/{id}/versions/{version}/rollback")
    ResponseEntity<String> confirm(@PathVariable String id, @PathVariable int version, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(FlowEditorPages.UPDATE)) {
            return refused(caller);
        }
        version(caller.workspace(), id, version);
        var flow = flows.find(caller.workspace(), id).orElseThrow(() -> FlowPages.notFound(id));
        return pages.html(
                HttpStatus.OK,
                "flowRollback.jte",
                Map.of("flowId", id, "version", version, "latest", flow.latestVersion()));
    }

    /**
     * Saves version {@code version}'s source as the next version, provided the latest is still
     * {@code latest} (what the confirmation showed), and sends the browser to the flow's page.
     */
    @PostMapping("/ui/flows/{id}/versions/{version}/rollback")
    ResponseEntity<String> rollback(
            @PathVariable String id, @PathVariable int version, @RequestParam int latest, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(FlowEditorPages.UPDATE)) {
            return refused(caller);
        }
        FlowVersion old = version(caller.workspace(), id, version);
        FlowVersion saved;
        try {
            saved = versions.update(caller.workspace(), id, old.source(), old.format(), latest);
        } catch (FlowInvalidException e) {
            return pages.message(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    true,
                    "FLOW_INVALID: version %d no longer passes the checks: %s".formatted(version, e.getMessage()));
        }
        return ResponseEntity.ok()
                .header("HX-Redirect", "/ui/flows/%s?restored=%d&as=%d".formatted(id, version, saved.version()))
                .body("");
    }

    private FlowVersion version(String workspace, String id, int version) {
        return flows.version(workspace, id, version)
                .orElseThrow(() -> new JunctionException(
                        ErrorCode.FLOW_NOT_FOUND, "flow '%s' has no version %d".formatted(id, version)));
    }

    private ResponseEntity<String> refused(UiCaller caller) {
        return pages.message(
                HttpStatus.FORBIDDEN,
                true,
                FlowEditorPages.forbidden(caller, "roll back a flow", FlowEditorPages.UPDATE));
    }
}
