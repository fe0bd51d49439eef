package dev.junction.server.security;

import dev.junction.server.core.JunctionSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every answer (API, webhooks, sign-in, errors), set before anything else runs
 * so even a refusal carries them: a CSP that allows only this origin and no framing, nosniff, no
 * referrer (redirects carry codes and states in their URLs), and HSTS when the public URL is https.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeadersFilter extends OncePerRequestFilter {
    static final String CSP =
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self';" + " object-src 'none'";

    private final boolean https;

    SecurityHeadersFilter(JunctionSettings settings) {
        this.https = settings.publicUrl() != null && settings.publicUrl().startsWith("https:");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (https) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
        chain.doFilter(request, response);
    }
}
