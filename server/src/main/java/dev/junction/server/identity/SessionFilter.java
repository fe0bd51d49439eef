package dev.junction.server.identity;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * {@code Authorization} header (a bearer key wins), and every web UI page under {@code /ui} except
 * the sign-in page and the static assets. Binds the same request attributes as {@link
 * ApiKeyFilter} (workspace, role, actor {@code user:<id>}) plus {@link #USER} and {@link
 * Sessions#USER_NAME}, so permissions and the audit log treat both kinds of caller alike. A changing
 * request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token in {@code X-CSRF-Token}:
 * else 403 {@code CSRF_INVALID}, audited. An unknown or expired session is a 401 {@code
 * SESSION_INVALID} for the API; a UI page without a valid session sends the browser to the sign-in
 * page, which brings it back afterwards (for htmx requests by the {@code HX-Redirect} header).
 */
@Component
@Order(ApiKeyFilter.ORDER - 10)
class SessionFilter extends OncePerRequestFilter {
    /** The signed-in user's id; absent for API key callers. */
    static final String USER = "junction.user";

    private static final String UI_ASSETS = "/ui/assets/";

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
        if (isUi(request)) {
            return false;
        }
        return !request.getRequestURI().startsWith("/api/")
                || request.getHeader("Authorization") != null
                || request.getRequestURI().equals(dev.junction.server.api.ApiKeyFilter.OPENAPI);
    }

    /** A web UI page or action (a session is the only way in; API keys are for programs). */
    private static boolean isUi(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return (uri.equals("/ui") || uri.startsWith("/ui/"))
                && !uri.equals(Sessions.UI_LOGIN)
                && !uri.startsWith(UI_ASSETS);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> token = Sessions.token(request);
        boolean ui = isUi(request);
        if (token.isEmpty() && !ui) {
            chain.doFilter(request, response); // ApiKeyFilter explains what is missing
            return;
        }
        Optional<Sessions.Caller> caller = token.flatMap(sessions::authenticate);
        if (caller.isEmpty() && ui) {
            toSignIn(request, response);
            return;
        }
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
        request.setAttribute(
                Sessions.USER_NAME,
                user.displayName() == null || user.displayName().isBlank() ? user.login() : user.displayName());
        chain.doFilter(request, response);
    }

    /**
     * Sends a browser without a valid session to the sign-in page with the page it asked for (for
     * an htmx request: the page it is on) as {@code next}.
     */
    private static void toSignIn(HttpServletRequest request, HttpServletResponse response) {
        String signIn = Sessions.UI_LOGIN + "?next=";
        if (request.getHeader("HX-Request") != null) {
            String next = pageOf(request.getHeader("HX-Current-URL"));
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.setHeader("HX-Redirect", signIn + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return;
        }
        String next =
                request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        response.setStatus(HttpStatus.SEE_OTHER.value());
        response.setHeader("Location", signIn + URLEncoder.encode(next, StandardCharsets.UTF_8));
    }

    /** Path and query of the page an htmx request came from (the sign-in page checks it again). */
    private static String pageOf(String currentUrl) {
        try {
            URI uri = URI.create(currentUrl == null ? "/ui/" : currentUrl);
            return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return "/ui/";
        }
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
