package dev.junction.server.ui;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.identity.Sessions;
import dev.junction.server.security.Permissions;
import dev.junction.server.security.Role;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The signed-in user of a web UI request, as the identity session filter bound it: workspace, role
 * and name. {@link #may} answers with the API's own permission table, so a page offers an action
 * exactly when the matching API route would allow it, and the action checks the same rule again.
 */
public record UiCaller(String workspace, Role role, String name) {

    static UiCaller of(HttpServletRequest request) {
        Object workspace = request.getAttribute(ApiKeyFilter.WORKSPACE);
        if (workspace == null) {
            // the session filter guards every /ui page; reaching here without it is a wiring defect
            throw new IllegalStateException("web UI request without a session: " + request.getRequestURI());
        }
        Role role =
                Role.of(String.valueOf(request.getAttribute(ApiKeyFilter.ROLE))).orElse(Role.VIEWER);
        return new UiCaller(String.valueOf(workspace), role, String.valueOf(request.getAttribute(Sessions.USER_NAME)));
    }

    /** Whether this caller's role may use the API route {@code "METHOD /api/v1/pattern"}. */
    public boolean may(String route) {
        int space = route.indexOf(' ');
        Permissions.Rule rule = Permissions.of(route.substring(0, space), route.substring(space + 1))
                .orElseThrow(() -> new IllegalArgumentException("no permission rule for " + route));
        return role.atLeast(rule.least());
    }

    /** The least role for the API route, for "needs operator" messages. */
    public static String needs(String route) {
        int space = route.indexOf(' ');
        return Permissions.of(route.substring(0, space), route.substring(space + 1))
                .map(r -> r.least().id())
                .orElse("owner");
    }
}
