package dev.junction.server.ui;

import dev.junction.engine.port.RunStats;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard, the web UI's home ({@code /ui/}): a card per connection with its activity and
 * actions ({@link ConnectionCards}), the runs of the last 24 hours per hour as charts with a table
 * alternative, and the top errors. {@code /ui/dashboard/figures} answers the same figures alone,
 * which the page fetches every 30 seconds to refresh them in place. Read-only: the cards' actions
 * are those of {@link ConnectionPages}.
 */
@Controller
class DashboardPages {
    static final int TOP_ERRORS = 10;

    private final ConnectionCards cards;
    private final RunStats stats;
    private final Clock clock;
    private final Pages pages;

    DashboardPages(ConnectionCards cards, RunStats stats, Clock clock, Pages pages) {
        this.cards = cards;
        this.stats = stats;
        this.clock = clock;
        this.pages = pages;
    }

    @GetMapping({"/ui", "/ui/"})
    ResponseEntity<String> dashboard(HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        return pages.page(HttpStatus.OK, "dashboard.jte", "Dashboard", caller, figures(caller));
    }

    @GetMapping("/ui/dashboard/figures")
    ResponseEntity<String> refresh(HttpServletRequest request) {
        return pages.html(HttpStatus.OK, "dashboardFigures.jte", figures(UiCaller.of(request)));
    }

    private Map<String, Object> figures(UiCaller caller) {
        String ws = caller.workspace();
        Instant now = clock.instant();
        Map<String, Object> params = new HashMap<>();
        params.put("cards", cards.all(ws));
        params.put("may", ConnectionPages.may(caller));
        params.put("mayCreate", caller.may(ConnectionPages.CREATE));
        params.put(
                "view",
                DashboardView.of(
                        stats.hourly(ws, DashboardView.since(now), now.plusMillis(1)),
                        stats.topErrors(ws, now.minus(ConnectionCards.WINDOW), TOP_ERRORS),
                        now));
        return params;
    }
}
