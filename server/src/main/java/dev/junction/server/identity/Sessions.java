package dev.junction.server.identity;

import dev.junction.server.core.JunctionSettings;
import dev.junction.store.JdbcSessions;
import dev.junction.store.JdbcUsers;
import dev.junction.store.JdbcWorkspaces;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * Browser sessions: a random token in the {@code junction_session} cookie (HttpOnly, SameSite=Lax,
 * Secure when {@code JUNCTION_PUBLIC_URL} is https) whose SHA-256 is the stored id, and a CSRF
 * token answered once at sign-in whose SHA-256 is stored with it. A session lasts {@link #TTL} from
 * sign-in; it ends earlier at sign-out, when its user is disabled or deleted, or its workspace
 * archived. Thread-safe.
 */
@Component
public class Sessions {
    public static final String COOKIE = "junction_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_COOKIE = "junction_csrf";
    /** Request attribute: the signed-in user's display name (else login), for the web UI's menu. */
    public static final String USER_NAME = "junction.user.name";
    /** The web UI's sign-in page (public, like the UI's assets); other UI pages need a session. */
    public static final String UI_LOGIN = "/ui/login";

    static final Duration TTL = Duration.ofHours(12);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final JdbcSessions sessions;
    private final JdbcUsers users;
    private final JdbcWorkspaces workspaces;
    private final JunctionSettings settings;
    private final Clock clock;

    Sessions(
            JdbcSessions sessions, JdbcUsers users, JdbcWorkspaces workspaces, JunctionSettings settings, Clock clock) {
        this.sessions = sessions;
        this.users = users;
        this.workspaces = workspaces;
        this.settings = settings;
        this.clock = clock;
    }

    /** A new session's clear tokens: the cookie's and the CSRF header's. */
    public record Started(String token, String csrfToken, Instant expiresAt) {}

    /** A signed-in caller: the session and its (current) user. */
    public record Caller(JdbcSessions.Session session, JdbcUsers.User user) {}

    Started start(JdbcUsers.User user) {
        Instant now = clock.instant();
        sessions.purgeExpired(user.workspaceId(), now);
        String token = Tokens.random();
        String csrf = Tokens.random();
        Instant expires = now.plus(TTL);
        sessions.insert(new JdbcSessions.Session(
                Tokens.sha256(token), user.workspaceId(), user.id(), Tokens.sha256(csrf), now, expires, now));
        return new Started(token, csrf, expires);
    }

    /** The session cookie's token in {@code request}, if it carries one. */
    public static Optional<String> token(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName())
                    && c.getValue() != null
                    && !c.getValue().isBlank()) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The caller of a session token, or empty when the token is unknown, the session expired, the
     * user is gone or disabled, or the workspace is archived.
     */
    public Optional<Caller> authenticate(String token) {
        Instant now = clock.instant();
        Optional<JdbcSessions.Session> found = sessions.find(Tokens.sha256(token));
        if (found.isEmpty() || !now.isBefore(found.get().expiresAt())) {
            return Optional.empty();
        }
        JdbcSessions.Session s = found.get();
        Optional<JdbcUsers.User> user = users.find(s.workspaceId(), s.userId());
        if (user.isEmpty()
                || user.get().disabled()
                || workspaces
                        .find(s.workspaceId())
                        .map(w -> w.archivedAt() != null)
                        .orElse(true)) {
            return Optional.empty();
        }
        if (s.lastSeenAt().isBefore(now.minus(TOUCH_EVERY))) {
            sessions.touch(s.workspaceId(), s.id(), now);
        }
        return Optional.of(new Caller(s, user.get()));
    }

    /** Whether {@code csrfToken} is the session's CSRF token. */
    public static boolean csrfMatches(Caller caller, String csrfToken) {
        return csrfToken != null
                && !csrfToken.isBlank()
                && Tokens.sameDigest(caller.session().csrfHash(), Tokens.sha256(csrfToken.strip()));
    }

    void end(Caller caller) {
        sessions.delete(caller.session().workspaceId(), caller.session().id());
    }

    int endAll(String workspaceId, String userId) {
        return sessions.deleteForUser(workspaceId, userId);
    }

    /** The cookie that carries {@code token}, or (token null) the one that removes it. */
    ResponseCookie cookie(String token) {
        return ResponseCookie.from(COOKIE, token == null ? "" : token)
                .httpOnly(true)
                .secure(secure())
                .sameSite("Lax")
                .path("/")
                .maxAge(token == null ? Duration.ZERO : TTL)
                .build();
    }

    /**
     * The CSRF token for the page's script to read and send back as {@code X-CSRF-Token} (not
     * HttpOnly, by design; the server checks it against the stored hash, so a cookie planted by
     * another site is of no use). Sign-in by password also answers it in the body; after single
     * sign-on this cookie is the only way the page learns it.
     */
    ResponseCookie csrfCookie(String csrfToken) {
        return ResponseCookie.from(CSRF_COOKIE, csrfToken == null ? "" : csrfToken)
                .httpOnly(false)
                .secure(secure())
                .sameSite("Strict")
                .path("/")
                .maxAge(csrfToken == null ? Duration.ZERO : TTL)
                .build();
    }

    private boolean secure() {
        return settings.publicUrl() != null && settings.publicUrl().startsWith("https:");
    }
}
