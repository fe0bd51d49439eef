package dev.junction.server.ui;

import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.Replays;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.RunQuery;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dead letters (failed runs not replayed yet), grouped by flow and error code, each with a
 * <em>Replay</em> button that posts to the run page's replay action, and per group a bulk replay:
 * first a preview (the API's dry run: which runs would run again, which would be refused and why,
 * for the chosen start and version), then the replay itself, both checked against the API's rule
 * for {@code POST /api/v1/runs/replay}.
 */
@Controller
class DeadLetterPages {
    static final String BULK_REPLAY = "POST /api/v1/runs/replay";
    private static final int LIMIT = 500;

    private final RunStore runs;
    private final FlowEngine engine;
    private final Pages pages;

    DeadLetterPages(RunStore runs, FlowEngine engine, Pages pages) {
        this.runs = runs;
        this.engine = engine;
        this.pages = pages;
    }

    /** The preview: what replaying the group's dead letters would do, changed nothing. */
    @GetMapping("/ui/dead-letters/replay")
    ResponseEntity<String> preview(
            @RequestParam String flow,
            @RequestParam String error,
            @RequestParam(defaultValue = "failed-step") String from,
            @RequestParam(defaultValue = "original") String version,
            HttpServletRequest request) {
        return bulk(request, flow, error, from, version, true);
    }

    @PostMapping("/ui/dead-letters/replay")
    ResponseEntity<String> replay(
            @RequestParam String flow,
            @RequestParam String error,
            @RequestParam(defaultValue = "failed-step") String from,
            @RequestParam(defaultValue = "original") String version,
            HttpServletRequest request) {
        return bulk(request, flow, error, from, version, false);
    }

    private ResponseEntity<String> bulk(
            HttpServletRequest request, String flow, String error, String from, String version, boolean dryRun) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(BULK_REPLAY)) {
            return pages.message(
                    HttpStatus.FORBIDDEN,
                    true,
                    "FORBIDDEN: your role '%s' may not replay runs; that needs %s or higher"
                            .formatted(caller.role().id(), UiCaller.needs(BULK_REPLAY)));
        }
        Replays.From start = "start".equals(from) ? Replays.From.START : Replays.From.FAILED_STEP;
        Replays.Version on = "latest".equals(version) ? Replays.Version.LATEST : Replays.Version.ORIGINAL;
        RunQuery query = new RunQuery(flow, null, null, null, error, true, null, 200);
        List<Replays.Outcome> outcomes = engine.replays().replayAll(caller.workspace(), query, start, on, dryRun);
        Map<String, Object> params = new HashMap<>();
        params.put("flow", flow);
        params.put("error", error);
        params.put("from", start == Replays.From.START ? "start" : "failed-step");
        params.put("version", on == Replays.Version.LATEST ? "latest" : "original");
        params.put("dryRun", dryRun);
        params.put(
                "accepted", outcomes.stream().filter(o -> o.errorCode() == null).toList());
        params.put(
                "refused", outcomes.stream().filter(o -> o.errorCode() != null).toList());
        return pages.html(HttpStatus.OK, "bulkReplay.jte", params);
    }

    @GetMapping("/ui/dead-letters")
    ResponseEntity<String> list(HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        Map<String, List<Views.RunRow>> grouped = new LinkedHashMap<>();
        runs.list(caller.workspace(), new RunQuery(null, null, null, null, null, true, null, LIMIT)).items().stream()
                .map(Views.RunRow::of)
                .forEach(r -> grouped.computeIfAbsent(
                                r.flowId() + "\u0000" + (r.errorCode() == null ? "" : r.errorCode()),
                                k -> new ArrayList<>())
                        .add(r));
        List<Views.DeadLetterGroup> groups = grouped.values().stream()
                .map(rows -> new Views.DeadLetterGroup(
                        rows.getFirst().flowId(), rows.getFirst().errorCode(), List.copyOf(rows)))
                .toList();
        return pages.page(
                HttpStatus.OK,
                "deadLetters.jte",
                "Dead letters",
                caller,
                Map.of(
                        "groups",
                        groups,
                        "mayReplay",
                        caller.may(RunPages.REPLAY),
                        "mayBulk",
                        caller.may(BULK_REPLAY),
                        "needs",
                        UiCaller.needs(RunPages.REPLAY)));
    }
}
