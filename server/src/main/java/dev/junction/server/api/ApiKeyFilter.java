package dev.junction.server.api;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.store.ApiKeyStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requires {@code Authorization: Bearer <api key>} on {@code /api/**} and binds the key's
 * workspace to the request ({@link #WORKSPACE}). Webhooks and health endpoints are public.
 */
@Component
@Order(ApiKeyFilter.ORDER)
public class ApiKeyFilter extends OncePerRequestFilter {
    public static final String WORKSPACE = "junction.workspace";
    /** The role of the caller's key (admin, editor, ...). */
    public static final String ROLE = "junction.role";
    /** Who is calling, for the audit log: {@code key:<key id>}. */
    public static final String ACTOR = "junction.actor";
    /** This filter's order; filters that need the caller come after it. */
    public static final int ORDER = 100;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiKeyStore keys;

    public ApiKeyFilter(ApiKeyStore keys) {
        this.keys = keys;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            deny(response, "this endpoint needs 'Authorization: Bearer <api key>'");
            return;
        }
        Optional<ApiKeyStore.ApiKey> key;
        try {
            key = keys.find(header.substring(7).strip());
        } catch (JunctionException e) {
            if (e.code() != ErrorCode.UNAVAILABLE) {
                throw e;
            }
            response.setStatus(503);
            response.setHeader("Retry-After", "5");
            response.setContentType("application/problem+json");
            response.getWriter()
                    .write(JSON.writeValueAsString(Map.of(
                            "type", "about:blank",
                            "title", "Service Unavailable",
                            "status", 503,
                            "detail", "the database is unavailable; retry later",
                            "code", "UNAVAILABLE")));
            return;
        }
        if (key.isEmpty()) {
            deny(response, "the API key is not valid");
            return;
        }
        request.setAttribute(WORKSPACE, key.get().workspaceId());
        request.setAttribute(ROLE, key.get().role());
        request.setAttribute(ACTOR, "key:" + key.get().id());
        chain.doFilter(request, response);
    }

    private static void deny(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"junction\"");
        response.setContentType("application/problem+json");
        var p = ApiProblem.detail(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", detail, Map.of());
        response.getWriter()
                .write(JSON.writeValueAsString(Map.of(
                        "type",
                        p.getType().toString(),
                        "title",
                        p.getTitle(),
                        "status",
                        401,
                        "detail",
                        detail,
                        "code",
                        "UNAUTHENTICATED")));
    }
}
