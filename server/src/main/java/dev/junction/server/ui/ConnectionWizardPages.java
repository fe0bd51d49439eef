package dev.junction.server.ui;

import dev.junction.engine.connector.ConnectorDescriptor;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.connection.ConnectionService;
import dev.junction.server.connection.ConnectorRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * The first steps of the connection wizard at {@code /ui/connections/new}: the connector catalog
 * (searchable in place, or by a plain GET without script), then the new connection's id, name and
 * auth, then its configuration, after which {@link ConnectionService#create} (the API's own
 * create, so validation and audit are shared) saves it as a draft and the browser moves on to
 * {@link ConnectionSetupPages}' test step, or first to the provider for an OAuth authorization
 * code connection. Every step needs the role of {@code POST /api/v1/connections}.
 */
@Controller
class ConnectionWizardPages {
    static final String CREATE = "POST /api/v1/connections";

    private final ConnectionService connections;
    private final ConnectorRegistry connectors;
    private final ConnectionSetupPages setup;
    private final Pages pages;

    ConnectionWizardPages(
            ConnectionService connections, ConnectorRegistry connectors, ConnectionSetupPages setup, Pages pages) {
        this.connections = connections;
        this.connectors = connectors;
        this.setup = setup;
        this.pages = pages;
    }

    @GetMapping("/ui/connections/new")
    ResponseEntity<String> catalog(@RequestParam(defaultValue = "") String q, HttpServletRequest request) {
        UiCaller caller = allowed(request);
        String needle = q.strip().toLowerCase(Locale.ROOT);
        List<ConnectorDescriptor> found = connectors.descriptors().stream()
                .filter(d -> (d.id() + " " + d.name() + " " + d.description())
                        .toLowerCase(Locale.ROOT)
                        .contains(needle))
                .toList();
        return pages.page(
                HttpStatus.OK,
                "connectionCatalog.jte",
                "New connection",
                caller,
                Map.of(
                        "q",
                        q,
                        "connectors",
                        found,
                        "total",
                        connectors.descriptors().size()));
    }

    @GetMapping("/ui/connections/new/{connector}")
    ResponseEntity<String> identity(@PathVariable String connector, HttpServletRequest request) {
        UiCaller caller = allowed(request);
        return setup.form(HttpStatus.OK, caller, ConnectionForm.blank(descriptor(connector)), 2);
    }

    /** Step 2 submitted: checks id, name and auth as create would, then asks for the configuration. */
    @PostMapping("/ui/connections/new/{connector}")
    ResponseEntity<String> identitySubmitted(@PathVariable String connector, HttpServletRequest request) {
        UiCaller caller = allowed(request);
        ConnectionForm form = ConnectionForm.submitted(descriptor(connector), request.getParameterMap(), false);
        try {
            connections.checkNew(caller.workspace(), form.identityBody());
        } catch (ApiProblem e) {
            return setup.form(HttpStatus.UNPROCESSABLE_CONTENT, caller, form.withErrors(form.errorsOf(e)), 2);
        }
        return setup.form(HttpStatus.OK, caller, form, 3);
    }

    /**
     * Step 3 submitted: creates the draft; its problems come back next to their fields (step 2's
     * for the id, name or auth), with everything typed kept. "Back" shows step 2 again.
     */
    @PostMapping("/ui/connections/new/{connector}/create")
    ResponseEntity<String> create(@PathVariable String connector, HttpServletRequest request) {
        UiCaller caller = allowed(request);
        ConnectionForm form = ConnectionForm.submitted(descriptor(connector), request.getParameterMap(), false);
        if (request.getParameter("back") != null) {
            return setup.form(HttpStatus.OK, caller, form, 2);
        }
        Map<String, String> typeErrors = new LinkedHashMap<>();
        Map<String, Object> body = form.body(typeErrors);
        if (!typeErrors.isEmpty()) {
            return setup.form(HttpStatus.UNPROCESSABLE_CONTENT, caller, form.withErrors(typeErrors), 3);
        }
        Map<String, Object> view;
        try {
            view = connections.create(caller.workspace(), body);
        } catch (ApiProblem e) {
            ConnectionForm failed = form.withErrors(form.errorsOf(e));
            return setup.form(HttpStatus.UNPROCESSABLE_CONTENT, caller, failed, failed.identityInvalid() ? 2 : 3);
        }
        return setup.saved(caller, form, view);
    }

    /** Inline validation of one config field (the htmx trigger's name) with the API's schema check. */
    @PostMapping("/ui/connections/new/{connector}/validate")
    ResponseEntity<String> validate(@PathVariable String connector, HttpServletRequest request) {
        allowed(request);
        return setup.validated(descriptor(connector), request, Set.of());
    }

    private UiCaller allowed(HttpServletRequest request) {
        UiCaller caller = UiCaller.of(request);
        if (!caller.may(CREATE)) {
            throw ConnectionSetupPages.refused(caller, "create a connection", CREATE);
        }
        return caller;
    }

    private ConnectorDescriptor descriptor(String id) {
        return connectors
                .find(id)
                .map(c -> c.describe())
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND,
                        "CONNECTOR_NOT_FOUND",
                        "there is no connector '%s'; the catalog at /ui/connections/new lists them".formatted(id)));
    }
}
