package dev.junction.server.ui;

import dev.junction.server.api.ApiProblem;
import dev.junction.server.connection.ConnectionService;
import dev.junction.server.connection.ConnectorRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The connections page: one card per connection of the workspace with its status, last test and
 * health, and the actions <em>Test</em>, <em>Activate</em> and <em>Disable</em>, each checked
 * against the API's rule for the same route and done by the same {@link ConnectionService}. An
 * action answers the card again (htmx swaps it in place), with the server's message when it failed.
 */
@Controller
class ConnectionPages {
    static final String TEST = "POST /api/v1/connections/{id}/test";
    static final String ACTIVATE = "POST /api/v1/connections/{id}/activate";
    static final String DISABLE = "POST /api/v1/connections/{id}/disable";

    private final ConnectionService connections;
    private final ConnectorRegistry connectors;
    private final Pages pages;

    ConnectionPages(ConnectionService connections, ConnectorRegistry connectors, Pages pages) {
        this.connections = connections;
        this.connectors = connectors;
        this.pages = pages;
    }

    @GetMapping("/ui/connections")
    ResponseEntity<String> list(HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        List<ConnectionCard> cards =
                connections.list(caller.workspace()).stream().map(this::card).toList();
        Map<String, Object> params = permissions(caller);
        params.put("cards", cards);
        params.put("needsTest", UiCaller.needs(TEST));
        params.put("needsChange", UiCaller.needs(ACTIVATE));
        params.put("mayCreate", caller.may(ConnectionWizardPages.CREATE));
        return pages.page(HttpStatus.OK, "connections.jte", "Connections", caller, params);
    }

    @PostMapping("/ui/connections/{id}/test")
    ResponseEntity<String> test(@PathVariable String id, HttpServletRequest request) {
        return act(request, id, TEST, "test a connection", connections::test);
    }

    @PostMapping("/ui/connections/{id}/activate")
    ResponseEntity<String> activate(@PathVariable String id, HttpServletRequest request) {
        return act(request, id, ACTIVATE, "activate a connection", connections::activate);
    }

    @PostMapping("/ui/connections/{id}/disable")
    ResponseEntity<String> disable(@PathVariable String id, HttpServletRequest request) {
        return act(request, id, DISABLE, "disable a connection", connections::disable);
    }

    /**
     * Checks the role, runs the action and answers the card as it is afterwards. A refusal (403) or
     * a failed action (say, activation whose test failed: 422) answers the card with the message, so
     * the card stays in place; so does a failed test, which the API answers with 200 and
     * {@code ok: false}. An unknown connection falls through to {@link UiErrors} (404).
     */
    private ResponseEntity<String> act(
            HttpServletRequest request,
            String id,
            String route,
            String what,
            BiFunction<String, String, Map<String, Object>> action) {
        UiCaller caller = UiCaller.of(request);
        ConnectionCard before = card(connections.get(caller.workspace(), id));
        if (!caller.may(route)) {
            return cardAnswer(
                    HttpStatus.FORBIDDEN,
                    caller,
                    before.withMessage("FORBIDDEN: your role '%s' may not %s; that needs %s or higher"
                            .formatted(caller.role().id(), what, UiCaller.needs(route))));
        }
        Map<String, Object> result;
        try {
            result = action.apply(caller.workspace(), id);
        } catch (ApiProblem e) {
            ConnectionCard after = card(connections.get(caller.workspace(), id));
            return cardAnswer(e.status(), caller, after.withMessage(e.code() + ": " + e.getMessage()));
        }
        ConnectionCard after = card(connections.get(caller.workspace(), id));
        if (Boolean.FALSE.equals(result.get("ok"))) { // a test answers 200 with ok=false, like the API
            after = after.withMessage("The test failed: " + result.get("code") + ": " + result.get("message"));
        }
        return cardAnswer(HttpStatus.OK, caller, after);
    }

    private ResponseEntity<String> cardAnswer(HttpStatus status, UiCaller caller, ConnectionCard card) {
        Map<String, Object> params = permissions(caller);
        params.put("card", card);
        return pages.html(status, "connectionCard.jte", params);
    }

    private static Map<String, Object> permissions(UiCaller caller) {
        Map<String, Object> params = new HashMap<>();
        params.put("mayTest", caller.may(TEST));
        params.put("mayChange", caller.may(ACTIVATE) && caller.may(DISABLE));
        return params;
    }

    private ConnectionCard card(Map<String, Object> view) {
        String connector = String.valueOf(view.get("connector"));
        return ConnectionCard.of(
                view, connectors.find(connector).map(c -> c.describe().name()).orElse(connector));
    }
}
