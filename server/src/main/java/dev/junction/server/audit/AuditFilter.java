package dev.junction.server.audit;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.store.audit.AuditRecord;
import dev.junction.store.audit.JdbcAuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Records every changing request to {@code /api/v1} and the web UI's actions under {@code /ui}
 * (POST, PUT, PATCH, DELETE; not the flow editor's check, which only reads) in the workspace's
 * audit chain once it is answered, whatever the outcome: actor, action (method and route
 * pattern), target (path), status, and SHA-256 digests of the request body (withheld on routes that
 * carry credentials) and of the answer. Runs inside {@link ApiKeyFilter}, so only authenticated
 * requests reach it. A failing audit write is logged; it does not undo what was done.
 */
@Component
@Order(ApiKeyFilter.ORDER + 10)
class AuditFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** POSTs that change nothing: the flow editor's check, sent on every pause in typing. */
    private static final Set<String> READ_ONLY_POSTS = Set.of("/ui/flows/validate");
    /** Routes whose request bodies may hold credentials: no digest of them is kept. */
    private static final Set<String> CREDENTIAL_ROUTES =
            Set.of("/secrets", "/connections", "/master-key", "/oauth", "/users");

    private static final int CACHE_LIMIT = 16 * 1024 * 1024;

    private final JdbcAuditLog log;
    private final Clock clock;

    AuditFilter(JdbcAuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !(uri.startsWith("/api/v1/") || uri.startsWith("/ui/"))
                || !CHANGING.contains(request.getMethod())
                || READ_ONLY_POSTS.contains(uri);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var in = new ContentCachingRequestWrapper(request, CACHE_LIMIT);
        var out = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(in, out);
        } finally {
            record(in, out);
            out.copyBodyToResponse();
        }
    }

    private void record(ContentCachingRequestWrapper in, ContentCachingResponseWrapper out) {
        Object workspace = in.getAttribute(ApiKeyFilter.WORKSPACE);
        if (workspace == null) {
            return; // not authenticated: refused before any action
        }
        String path = in.getRequestURI();
        Object pattern = in.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        boolean credentials = CREDENTIAL_ROUTES.stream().anyMatch(path::contains);
        try {
            log.append(new AuditRecord.Entry(
                    String.valueOf(workspace),
                    clock.instant(),
                    String.valueOf(in.getAttribute(ApiKeyFilter.ACTOR)),
                    in.getMethod() + " " + (pattern == null ? path : pattern),
                    path,
                    out.getStatus(),
                    credentials ? null : digest(in.getContentAsByteArray()),
                    digest(out.getContentAsByteArray())));
        } catch (RuntimeException e) {
            LOG.warn("could not audit {} {} ({}): {}", in.getMethod(), path, out.getStatus(), e.getMessage());
        }
    }

    private static String digest(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
