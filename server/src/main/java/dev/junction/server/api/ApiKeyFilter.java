package dev.junction.server.api;

import dev.junction.engine.error.ErrorCode;
import dev.junction.engine.error.JunctionException;
import dev.junction.store.ApiKeyStore;
import dev.junction.store.audit.AuditRecord;
import dev.junction.store.audit.JdbcAuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requires {@code Authorization: Bearer <api key>} on {@code /api/**} and binds the key's
 * workspace to the request ({@link #WORKSPACE}). Webhooks, health endpoints and {@code /auth/**}
 * are public. A request already bound to a browser session (by the identity package's session
 * filter, which runs first) passes through.
 */
@Component
@Order(ApiKeyFilter.ORDER)
public class ApiKeyFilter extends OncePerRequestFilter {
    public static final String WORKSPACE = "junction.workspace";
    /** The role of the caller's key (admin, editor, ...). */
    public static final String ROLE = "junction.role";
    /** Who is calling, for the audit log: {@code key:<key id>}. */
    public static final String ACTOR = "junction.actor";
    /** The flows a restricted key may reach (a list), absent for unrestricted keys. */
    public static final String FLOWS = "junction.flows";
    /** The public API description (it grants nothing). */
    public static final String OPENAPI = "/api/openapi.json";
    /** This filter's order; filters that need the caller come after it. */
    public static final int ORDER = 100;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How stale a key's last-used time may get before a request writes it again. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final ApiKeyStore keys;
    private final Clock clock;
    private final JdbcAuditLog audit;

    public ApiKeyFilter(ApiKeyStore keys, Clock clock, JdbcAuditLog audit) {
        this.keys = keys;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * A known key refused (expired, revoked, archived workspace) is recorded in its workspace's
     * chain; an unknown key cannot be attributed to any workspace and is only refused.
     */
    private void auditRefusal(ApiKeyStore.ApiKey key, HttpServletRequest request, Instant now) {
        try {
            audit.append(new AuditRecord.Entry(
                    key.workspaceId(),
                    now,
                    "key:" + key.id(),
                    request.getMethod() + " " + request.getRequestURI(),
                    request.getRequestURI(),
                    401,
                    null,
                    null));
        } catch (RuntimeException e) {
            // the refusal stands whether or not it could be noted
        }
    }

    /** Why a known key may not be used now, or null when it may. */
    private static String refusal(ApiKeyStore.StoredKey k, Instant now) {
        if (k.revokedAt() != null) {
            return "the API key was revoked at " + k.revokedAt();
        }
        if (k.expiresAt() != null && !now.isBefore(k.expiresAt())) {
            return "the API key expired at " + k.expiresAt();
        }
        if (k.workspaceArchived()) {
            return "the API key's workspace is archived";
        }
        return null;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/")
                || request.getRequestURI().equals(OPENAPI);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(WORKSPACE) != null) {
            chain.doFilter(request, response); // a browser session, bound by the identity SessionFilter
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            deny(
                    response,
                    "this endpoint needs 'Authorization: Bearer <api key>' or a session cookie from POST /auth/login");
            return;
        }
        Optional<ApiKeyStore.StoredKey> found;
        try {
            found = keys.find(header.substring(7).strip());
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
        Instant now = clock.instant();
        String refusal = found.isEmpty() ? "the API key is not valid" : refusal(found.get(), now);
        if (refusal != null) {
            found.ifPresent(k -> auditRefusal(k.key(), request, now));
            deny(response, refusal);
            return;
        }
        ApiKeyStore.StoredKey stored = found.get();
        ApiKeyStore.ApiKey key = stored.key();
        if (stored.lastUsedAt() == null || stored.lastUsedAt().isBefore(now.minus(TOUCH_EVERY))) {
            try {
                keys.touch(key.id(), now);
            } catch (JunctionException e) {
                // the last-used time is a hint; never refuse a request because it could not be noted
            }
        }
        request.setAttribute(WORKSPACE, key.workspaceId());
        request.setAttribute(ROLE, key.role());
        request.setAttribute(ACTOR, "key:" + key.id());
        if (stored.flows() != null) {
            request.setAttribute(FLOWS, stored.flows());
        }
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
