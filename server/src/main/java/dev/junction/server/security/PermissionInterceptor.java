package dev.junction.server.security;

import dev.junction.engine.port.RunStore;
import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Allows or refuses each {@code /api/v1} request by {@link Permissions}: the caller's role must be
 * at least the route's; a route without a rule is refused (403 {@code NO_PERMISSION_RULE}). A key
 * restricted to named flows may only reach those flows and their runs ({@code KEY_RESTRICTED}).
 * Refusals are 403 problem details naming the role needed; the audit log records them.
 */
@Component
class PermissionInterceptor implements HandlerInterceptor {
    private final RunStore runs;

    PermissionInterceptor(RunStore runs) {
        this.runs = runs;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null || !String.valueOf(pattern).startsWith("/api/v1/")) {
            return true;
        }
        String route = request.getMethod() + " " + pattern;
        Permissions.Rule rule = Permissions.of(request.getMethod(), String.valueOf(pattern))
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.FORBIDDEN,
                        "NO_PERMISSION_RULE",
                        "%s has no permission rule, so no one may call it".formatted(route)));
        Role role =
                Role.of(String.valueOf(request.getAttribute(ApiKeyFilter.ROLE))).orElse(Role.VIEWER);
        if (!role.atLeast(rule.least())) {
            throw new ApiProblem(
                    HttpStatus.FORBIDDEN,
                    "FORBIDDEN",
                    "your key's role '%s' may not %s; that needs %s or higher"
                            .formatted(role.id(), rule.what(), rule.least().id()),
                    Map.of("role", role.id(), "needs", rule.least().id()));
        }
        if (request.getAttribute(ApiKeyFilter.FLOWS) instanceof List<?> flows
                && !reachesOnly(flows, request, pattern)) {
            throw new ApiProblem(
                    HttpStatus.FORBIDDEN,
                    "KEY_RESTRICTED",
                    "this key may only reach the flows %s and their runs".formatted(flows));
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private boolean reachesOnly(List<?> flows, HttpServletRequest request, Object pattern) {
        Map<String, String> vars =
                (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String id = vars == null ? null : vars.get("id");
        String p = String.valueOf(pattern);
        if (p.startsWith("/api/v1/flows/{id}")) {
            return id != null && flows.contains(id);
        }
        if (p.startsWith("/api/v1/runs/{id}")) {
            String ws = String.valueOf(request.getAttribute(ApiKeyFilter.WORKSPACE));
            return id == null
                    || runs.find(ws, id).map(r -> flows.contains(r.flowId())).orElse(true); // unknown run: 404 follows
        }
        if (p.equals("/api/v1/runs") || p.equals("/api/v1/dead-letters")) {
            String flow = request.getParameter("flow");
            return flow != null && flows.contains(flow);
        }
        return false;
    }
}
