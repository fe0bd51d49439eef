package dev.junction.server.connection;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.store.JdbcOAuthStates;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Browser authorization of {@code oauth2AuthorizationCode} connections: the API call that starts
 * it, and the public redirect target {@code /oauth/callback} (outside {@code /api}, so no API key:
 * the single-use state is what binds the redirect to a workspace and connection).
 */
@RestController
class OAuthController {
    private final OAuthFlows flows;

    OAuthController(OAuthFlows flows) {
        this.flows = flows;
    }

    @PostMapping("/api/v1/connections/{id}/oauth/authorize")
    Map<String, Object> authorize(@RequestAttribute(ApiKeyFilter.WORKSPACE) String ws, @PathVariable String id) {
        return flows.authorize(ws, id);
    }

    /**
     * The provider's redirect. An authorization the web UI started (with a return path) sends the
     * browser back to that page with {@code ?oauth=ok} or {@code ?oauth=<error code>}; one the API
     * started answers JSON.
     */
    @GetMapping("/oauth/callback")
    ResponseEntity<Map<String, Object>> callback(
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error,
            @RequestParam(name = "error_description", required = false) String errorDescription) {
        JdbcOAuthStates.Pending pending = flows.take(state);
        if (pending.returnTo() == null || !OAuthFlows.safeReturn(pending.returnTo())) {
            return ResponseEntity.ok(flows.complete(pending, code, error, errorDescription));
        }
        String outcome;
        try {
            flows.complete(pending, code, error, errorDescription);
            outcome = "ok";
        } catch (ApiProblem e) {
            outcome = e.code();
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, pending.returnTo() + "?oauth=" + outcome)
                .build();
    }
}
