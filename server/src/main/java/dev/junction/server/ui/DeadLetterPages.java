package dev.junction.server.ui;

import dev.junction.engine.port.RunStore;
import dev.junction.engine.run.RunQuery;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dead letters (failed runs not replayed yet), grouped by flow and error code, each with a
 * <em>Replay</em> button that posts to the run page's replay action.
 */
@Controller
class DeadLetterPages {
    private static final int LIMIT = 500;

    private final RunStore runs;
    private final Pages pages;

    DeadLetterPages(RunStore runs, Pages pages) {
        this.runs = runs;
        this.pages = pages;
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
                        "needs",
                        UiCaller.needs(RunPages.REPLAY)));
    }
}
