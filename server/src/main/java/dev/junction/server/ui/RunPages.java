package dev.junction.server.ui;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.engine.exec.FlowEngine;
import dev.junction.engine.exec.Replays;
import dev.junction.engine.port.FlowRepository;
import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.Run;
import dev.junction.engine.run.RunQuery;
import dev.junction.engine.run.RunStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The runs explorer (filtered by flow and status; htmx swaps only the table), a run's page with
 * the timeline of its step attempts, and the operator actions <em>Replay</em> (from the failed
 * step, on the pinned version) and <em>Cancel</em>, checked against the API's rules for the same
 * actions.
 */
@Controller
class RunPages {
    static final String REPLAY = "POST /api/v1/runs/{id}/replay";
    static final String CANCEL = "POST /api/v1/runs/{id}/cancel";
    private static final int PAGE = 100;
    /** The time filter's choices: the value in the address bar and what the select shows. */
    private static final Map<String, String> WINDOWS = windows();

    private final RunStore runs;
    private final FlowRepository flows;
    private final FlowEngine engine;
    private final Pages pages;
    private final Clock clock;

    RunPages(RunStore runs, FlowRepository flows, FlowEngine engine, Pages pages, Clock clock) {
        this.runs = runs;
        this.flows = flows;
        this.engine = engine;
        this.pages = pages;
        this.clock = clock;
    }

    @GetMapping("/ui/runs")
    ResponseEntity<String> list(
            @RequestParam(defaultValue = "") String flow,
            @RequestParam(defaultValue = "") String status,
            @RequestParam(defaultValue = "") String within,
            @RequestParam(defaultValue = "") String q,
            HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        RunStatus wanted = status(status);
        Duration window = window(within);
        RunQuery query = new RunQuery(
                flow.isBlank() ? null : flow,
                wanted,
                window == null ? null : clock.instant().minus(window),
                null,
                null,
                false,
                q.strip(),
                null,
                PAGE);
        List<Views.RunRow> rows = runs.list(caller.workspace(), query).items().stream()
                .map(Views.RunRow::of)
                .toList();
        Map<String, Object> params = new HashMap<>();
        params.put("rows", rows);
        params.put("flow", flow);
        params.put("status", wanted == null ? "" : wanted.name());
        params.put("within", window == null ? "" : within);
        params.put("q", q.strip());
        if ("runs-table".equals(request.getHeader("HX-Target"))) {
            return pages.html(HttpStatus.OK, "runsTable.jte", params);
        }
        params.put(
                "flows",
                flows.list(caller.workspace()).stream()
                        .map(FlowRepository.FlowRecord::flowId)
                        .toList());
        params.put("statuses", Arrays.stream(RunStatus.values()).map(Enum::name).toList());
        params.put("windows", WINDOWS);
        return pages.page(HttpStatus.OK, "runs.jte", "Runs", caller, params);
    }

    @GetMapping("/ui/runs/{id}")
    ResponseEntity<String> run(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        Run run = find(caller, id);
        boolean finished = run.status() == RunStatus.SUCCEEDED
                || run.status() == RunStatus.FAILED
                || run.status() == RunStatus.CANCELLED;
        Map<String, Object> params = new HashMap<>();
        params.put("run", Views.RunRow.of(run));
        params.put("replayOf", run.replayOf());
        params.put("replayedBy", run.replayedBy());
        params.put("finished", finished);
        params.put("trigger", Views.json(run.trigger()));
        params.put("output", Views.json(run.output()));
        params.put(
                "steps",
                runs.attempts(caller.workspace(), id).stream()
                        .map(Views.StepRow::of)
                        .toList());
        params.put("mayReplay", caller.may(REPLAY));
        params.put("mayCancel", caller.may(CANCEL));
        params.put("needs", UiCaller.needs(REPLAY));
        return pages.page(HttpStatus.OK, "run.jte", "Run " + id, caller, params);
    }

    @PostMapping("/ui/runs/{id}/replay")
    ResponseEntity<String> replay(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(REPLAY)) {
            return refused(caller, "replay a run", REPLAY);
        }
        Run created = engine.replays()
                .replay(caller.workspace(), id, Replays.From.FAILED_STEP, Replays.Version.ORIGINAL)
                .run();
        return pages.html(
                HttpStatus.OK,
                "message.jte",
                Map.of(
                        "alert",
                        false,
                        "text",
                        "Replay started as run " + created.id() + ".",
                        "href",
                        "/ui/runs/" + created.id(),
                        "link",
                        "Open the replay"));
    }

    @PostMapping("/ui/runs/{id}/cancel")
    ResponseEntity<String> cancel(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(CANCEL)) {
            return refused(caller, "cancel a run", CANCEL);
        }
        Run run = engine.cancel(caller.workspace(), id);
        return pages.html(
                HttpStatus.OK,
                "message.jte",
                Map.of(
                        "alert",
                        false,
                        "text",
                        "Run " + run.id() + " is " + run.status().name() + ".",
                        "href",
                        "/ui/runs/" + run.id(),
                        "link",
                        "Reload the run"));
    }

    private ResponseEntity<String> refused(UiCaller caller, String what, String route) {
        return pages.message(
                HttpStatus.FORBIDDEN,
                true,
                "FORBIDDEN: your role '%s' may not %s; that needs %s or higher"
                        .formatted(caller.role().id(), what, UiCaller.needs(route)));
    }

    private Run find(UiCaller caller, String id) {
        return runs.find(caller.workspace(), id)
                .orElseThrow(() -> new JunctionException(
                        ErrorCode.RUN_NOT_FOUND, "run '%s' does not exist in this workspace".formatted(id)));
    }

    private static Map<String, String> windows() {
        Map<String, String> w = new LinkedHashMap<>();
        w.put("1h", "Last hour");
        w.put("24h", "Last 24 hours");
        w.put("7d", "Last 7 days");
        w.put("30d", "Last 30 days");
        return Collections.unmodifiableMap(w);
    }

    /** The time filter as a duration back from now, or null for any time. */
    private static Duration window(String within) {
        if (within.isBlank()) {
            return null;
        }
        if (!WINDOWS.containsKey(within)) {
            throw new JunctionException(
                    ErrorCode.INPUT_INVALID,
                    "within '%s' is not one of %s".formatted(within, String.join(", ", WINDOWS.keySet())));
        }
        long n = Long.parseLong(within.substring(0, within.length() - 1));
        return within.endsWith("h") ? Duration.ofHours(n) : Duration.ofDays(n);
    }

    private static RunStatus status(String s) {
        if (s.isBlank()) {
            return null;
        }
        try {
            return RunStatus.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JunctionException(
                    ErrorCode.INPUT_INVALID,
                    "status '%s' is not one of %s".formatted(s, Arrays.toString(RunStatus.values())));
        }
    }
}
