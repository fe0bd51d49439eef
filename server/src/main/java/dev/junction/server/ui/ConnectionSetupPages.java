package dev.junction.server.ui;

import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.connection.ConnectionService;
import dev.junction.server.connection.ConnectorRegistry;
import dev.junction.server.connection.OAuthFlows;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * The configure, test and activate steps of the connection wizard for a connection that exists (a
 * draft the wizard just saved, or any connection's "Configure"): the form prefilled, its secrets
 * shown only as stored, saved by {@link ConnectionService#update}; "test connection" and
 * activation by the service the API uses, each checked against the API's rule for the same route.
 * An OAuth authorization code connection goes to its provider after saving, and the provider's
 * redirect to {@code /oauth/callback} comes back to the test step.
 */
@Controller
class ConnectionSetupPages {
    static final String UPDATE = "PUT /api/v1/connections/{id}";
    static final String AUTHORIZE = "POST /api/v1/connections/{id}/oauth/authorize";

    private final ConnectionService connections;
    private final ConnectorRegistry connectors;
    private final OAuthFlows oauth;
    private final Pages pages;

    ConnectionSetupPages(ConnectionService connections, ConnectorRegistry connectors, OAuthFlows oauth, Pages pages) {
        this.connections = connections;
        this.connectors = connectors;
        this.oauth = oauth;
        this.pages = pages;
    }

    @GetMapping("/ui/connections/{id}/configure")
    ResponseEntity<String> configure(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = allowed(request, UPDATE, "change a connection");
        return form(HttpStatus.OK, caller, existing(caller, id), 3);
    }

    @PostMapping("/ui/connections/{id}/configure")
    ResponseEntity<String> save(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = allowed(request, UPDATE, "change a connection");
        ConnectionForm before = existing(caller, id);
        ConnectionForm form = ConnectionForm.submitted(before.connector(), request.getParameterMap(), true);
        form = new ConnectionForm(
                        form.connector(), id, form.name(), form.authType(), form.typed(), Map.of(), Set.of(), true)
                .withStored(before.stored());
        Map<String, String> typeErrors = new LinkedHashMap<>();
        Map<String, Object> body = form.body(typeErrors);
        if (!typeErrors.isEmpty()) {
            return form(HttpStatus.UNPROCESSABLE_CONTENT, caller, form.withErrors(typeErrors), 3);
        }
        Map<String, Object> view;
        try {
            view = connections.update(caller.workspace(), id, body, null);
        } catch (ApiProblem e) {
            return form(HttpStatus.UNPROCESSABLE_CONTENT, caller, form.withErrors(form.errorsOf(e)), 3);
        }
        return saved(caller, form, view);
    }

    @PostMapping("/ui/connections/{id}/configure/validate")
    ResponseEntity<String> validate(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = allowed(request, UPDATE, "change a connection");
        ConnectionForm form = existing(caller, id);
        return validated(form.connector(), request, form.stored());
    }

    @GetMapping("/ui/connections/{id}/configure/test")
    ResponseEntity<String> testStep(
            @PathVariable String id, @RequestParam(required = false) String oauth, HttpServletRequest request) {
        UiCaller caller = allowed(request, ConnectionPages.TEST, "test a connection");
        Map<String, Object> params = step(caller, id);
        params.put("oauth", oauth == null ? null : OAuthOutcome.of(oauth));
        params.put("mayAuthorize", caller.may(AUTHORIZE));
        return pages.page(HttpStatus.OK, "connectionTest.jte", "Test a connection", caller, params);
    }

    @PostMapping("/ui/connections/{id}/configure/test")
    ResponseEntity<String> test(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = allowed(request, ConnectionPages.TEST, "test a connection");
        connections.test(caller.workspace(), id); // records the result as the connection's last test
        return pages.html(HttpStatus.OK, "connectionTestResult.jte", Map.of("card", card(caller, id)));
    }

    @GetMapping("/ui/connections/{id}/configure/activate")
    ResponseEntity<String> activateStep(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = allowed(request, ConnectionPages.ACTIVATE, "activate a connection");
        return pages.page(HttpStatus.OK, "connectionActivate.jte", "Activate a connection", caller, step(caller, id));
    }

    /** Tests and activates; lands on the connections page with the new card, or says why not. */
    @PostMapping("/ui/connections/{id}/configure/activate")
    ResponseEntity<String> activate(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = allowed(request, ConnectionPages.ACTIVATE, "activate a connection");
        connections.activate(caller.workspace(), id); // a failed test: 422 with the far side's message
        return redirect("/ui/connections#connection-" + id);
    }

    @PostMapping("/ui/connections/{id}/configure/authorize")
    ResponseEntity<String> authorize(@PathVariable String id, HttpServletRequest request) {
        UiCaller caller = allowed(request, AUTHORIZE, "start an OAuth authorization");
        return toProvider(caller, id);
    }

    // ---- shared by the new connection's steps ------------------------------------------------

    /** The form page at {@code step} (2: id, name and auth; 3: the configuration). */
    ResponseEntity<String> form(HttpStatus status, UiCaller caller, ConnectionForm form, int step) {
        String c = form.connector().id();
        String action = form.existing()
                ? "/ui/connections/" + form.id() + "/configure"
                : step == 2 ? "/ui/connections/new/" + c : "/ui/connections/new/" + c + "/create";
        Map<String, Object> params = new HashMap<>();
        params.put("form", form);
        params.put("step", step);
        params.put("action", action);
        params.put(
                "validate",
                form.existing()
                        ? "/ui/connections/" + form.id() + "/configure/validate"
                        : "/ui/connections/new/" + c + "/validate");
        String title = form.existing()
                ? "Configure " + form.name()
                : "New " + form.connector().name() + " connection";
        return pages.page(status, "connectionForm.jte", title, caller, params);
    }

    /**
     * After saving: to the provider for an authorization code connection that is not active yet (a
     * new draft, or one that needs re-authorization), else to the test step.
     */
    ResponseEntity<String> saved(UiCaller caller, ConnectionForm form, Map<String, Object> view) {
        if (OAuthOutcome.AUTHORIZATION_CODE.equals(form.authType()) && !"active".equals(view.get("status"))) {
            if (!caller.may(AUTHORIZE)) {
                throw refused(caller, "start an OAuth authorization", AUTHORIZE);
            }
            return toProvider(caller, form.id());
        }
        return redirect("/ui/connections/" + form.id() + "/configure/test");
    }

    /** Answers the field that triggered the check (htmx swaps it out of band), or nothing. */
    ResponseEntity<String> validated(ConnectorDescriptor d, HttpServletRequest request, Set<String> stored) {
        SchemaForm config = ConnectionForm.config(d);
        String name = request.getHeader("HX-Trigger-Name");
        if (name == null || !config.has(name)) {
            return ResponseEntity.noContent().build();
        }
        Map<String, String> typed = config.typed(request.getParameterMap());
        Map<String, String> errors = config.validate(typed, stored);
        return pages.html(
                HttpStatus.OK,
                "schemaField.jte",
                Map.of(
                        "field",
                        config.field(name, typed, errors, stored),
                        "validate",
                        request.getRequestURI(),
                        "oob",
                        true));
    }

    static ApiProblem refused(UiCaller caller, String what, String route) {
        return new ApiProblem(
                HttpStatus.FORBIDDEN,
                "FORBIDDEN",
                "your role '%s' may not %s; that needs %s or higher"
                        .formatted(caller.role().id(), what, UiCaller.needs(route)));
    }

    private ResponseEntity<String> toProvider(UiCaller caller, String id) {
        Map<String, Object> attempt =
                oauth.authorize(caller.workspace(), id, "/ui/connections/" + id + "/configure/test");
        return redirect(String.valueOf(attempt.get("authorizeUrl")));
    }

    private Map<String, Object> step(UiCaller caller, String id) {
        Map<String, Object> params = new HashMap<>();
        params.put("card", card(caller, id));
        params.put("authorizationCode", OAuthOutcome.authorizationCode(connections.get(caller.workspace(), id)));
        return params;
    }

    private ConnectionCard card(UiCaller caller, String id) {
        Map<String, Object> view = connections.get(caller.workspace(), id);
        String connector = String.valueOf(view.get("connector"));
        return ConnectionCard.of(
                view, connectors.find(connector).map(c -> c.describe().name()).orElse(connector));
    }

    private ConnectionForm existing(UiCaller caller, String id) {
        Map<String, Object> view = connections.get(caller.workspace(), id);
        String connector = String.valueOf(view.get("connector"));
        ConnectorDescriptor d = connectors
                .find(connector)
                .map(c -> c.describe())
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.CONFLICT,
                        "CONNECTOR_NOT_FOUND",
                        "connection '%s' uses connector '%s', which is not installed".formatted(id, connector)));
        return ConnectionForm.existing(d, view);
    }

    private static UiCaller allowed(HttpServletRequest request, String route, String what) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(route)) {
            throw refused(caller, what, route);
        }
        return caller;
    }

    /** htmx follows {@code HX-Redirect} with a full page load (to this UI or the provider). */
    private static ResponseEntity<String> redirect(String url) {
        return ResponseEntity.status(HttpStatus.OK).header("HX-Redirect", url).body("");
    }
}
