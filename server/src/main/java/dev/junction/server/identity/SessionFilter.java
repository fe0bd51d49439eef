package dev.junction.server.identity;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates {@code /api/**} requests that carry the {@code junction_session} cookie and no
 * {@code Authorization} header (a bearer key wins). Binds the same request attributes as {@link
 * ApiKeyFilter} (workspace, role, actor {@code user:<id>}) plus {@link #USER}, so permissions and
 * the audit log treat both kinds of caller alike. A changing request (POST, PUT, PATCH, DELETE) must
 * carry the session's CSRF token in {@code X-CSRF-Token}: else 403 {@code CSRF_INVALID}, audited.
 * An unknown or expired session is a 401 {@code SESSION_INVALID}.
 */
@Component
@Order(ApiKeyFilter.ORDER - 10)
class SessionFilter extends OncePerRequestFilter {
    /** The signed-in user's id; absent for API key callers. */
    static final String USER = "junction.user";

    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Sessions sessions;
    private final SignInAudit audit;

    SessionFilter(Sessions sessions, SignInAudit audit) {
        this.sessions = sessions;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/")
                || request.getHeader("Authorization") != null
                || request.getRequestURI().equals(dev.junction.server.api.ApiKeyFilter.OPENAPI);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = Sessions.token(request);
        if (token.isEmpty()) {
            chain.doFilter(request, response); // ApiKeyFilter explains what is missing
            return;
        }
        Optional<Sessions.Caller> caller = sessions.authenticate(token.get());
        if (caller.isEmpty()) {
            write(
                    response,
                    new ApiProblem(
                            HttpStatus.UNAUTHORIZED,
                            "SESSION_INVALID",
                            "the session cookie is unknown or the session has ended (expired, signed out, or the"
                                    + " account disabled); sign in again at POST /auth/login"));
            return;
        }
        var user = caller.get().user();
        String actor = "user:" + user.id();
        if (CHANGING.contains(request.getMethod())
                && !Sessions.csrfMatches(caller.get(), request.getHeader(Sessions.CSRF_HEADER))) {
            audit.record(user.workspaceId(), actor, request.getMethod() + " " + request.getRequestURI(), 403);
            write(response, csrfInvalid());
            return;
        }
        request.setAttribute(ApiKeyFilter.WORKSPACE, user.workspaceId());
        request.setAttribute(ApiKeyFilter.ROLE, user.role());
        request.setAttribute(ApiKeyFilter.ACTOR, actor);
        request.setAttribute(USER, user.id());
        chain.doFilter(request, response);
    }

    static ApiProblem csrfInvalid() {
        return new ApiProblem(
                HttpStatus.FORBIDDEN,
                "CSRF_INVALID",
                "a changing request with a session cookie needs header X-CSRF-Token with the csrfToken answered"
                        + " at sign-in; it was missing or did not match");
    }

    private static void write(HttpServletResponse response, ApiProblem problem) throws IOException {
        ProblemDetail p = problem.toProblemDetail();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", String.valueOf(p.getType()));
        body.put("title", p.getTitle());
        body.put("status", p.getStatus());
        body.put("detail", p.getDetail());
        if (p.getProperties() != null) {
            body.putAll(p.getProperties());
        }
        response.setStatus(p.getStatus());
        response.setContentType("application/problem+json");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
