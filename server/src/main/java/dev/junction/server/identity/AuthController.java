package dev.junction.server.identity;

import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.JdbcUsers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /auth/login} and {@code /auth/logout}: public routes (no API key) that start and end a
 * browser session. Sign-in answers the user and the session's CSRF token, which the browser sends
 * as {@code X-CSRF-Token} on every changing request.
 */
@RestController
class AuthController {
    private static final Set<String> FIELDS = Set.of("workspace", "login", "password");

    private final LocalSignIn signIn;
    private final Sessions sessions;
    private final SignInAudit audit;
    private final JunctionSettings settings;

    AuthController(LocalSignIn signIn, Sessions sessions, SignInAudit audit, JunctionSettings settings) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.audit = audit;
        this.settings = settings;
    }

    @PostMapping("/auth/login")
    ResponseEntity<Map<String, Object>> login(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            // a cross-site form can post text/plain that parses as JSON (login CSRF); it cannot send JSON
            throw new ApiProblem(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "sign-in needs Content-Type: application/json, was " + (type == null ? "none" : type));
        }
        Map<String, Object> body = RequestBodies.jsonObject(request, settings.maxBodyBytes());
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "BAD_REQUEST",
                        "unknown field '%s'; expected workspace, login, password".formatted(field),
                        Map.of("field", field));
            }
        }
        String workspace = body.get("workspace") == null ? "default" : text(body, "workspace");
        JdbcUsers.User user = signIn.signIn(workspace, text(body, "login"), text(body, "password"));
        return started(user);
    }

    /** Sets the session cookie for {@code user} and answers the user and the CSRF token. */
    ResponseEntity<Map<String, Object>> started(JdbcUsers.User user) {
        Sessions.Started s = sessions.start(user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", Profiles.view(user));
        out.put("csrfToken", s.csrfToken());
        out.put("expiresAt", s.expiresAt().toString());
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, sessions.cookie(s.token()).toString())
                .header(
                        HttpHeaders.SET_COOKIE,
                        sessions.csrfCookie(s.csrfToken()).toString())
                .body(out);
    }

    /** Ends the caller's session (it needs the CSRF token) and removes the cookie. */
    @PostMapping("/auth/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        var caller = Sessions.token(request).flatMap(sessions::authenticate);
        if (caller.isPresent()) {
            String actor = "user:" + caller.get().user().id();
            String ws = caller.get().user().workspaceId();
            if (!Sessions.csrfMatches(caller.get(), request.getHeader(Sessions.CSRF_HEADER))) {
                audit.record(ws, actor, "POST /auth/logout", 403);
                throw SessionFilter.csrfInvalid();
            }
            sessions.end(caller.get());
            audit.record(ws, actor, "POST /auth/logout", 204);
        }
        return ResponseEntity.noContent()
                .header(HttpHeaders.SET_COOKIE, sessions.cookie(null).toString())
                .header(HttpHeaders.SET_COOKIE, sessions.csrfCookie(null).toString())
                .build();
    }

    private static String text(Map<String, Object> body, String field) {
        if (!(body.get(field) instanceof String s) || s.isBlank() || s.length() > 1024) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "'%s' is required: text of 1 to 1024 characters".formatted(field),
                    Map.of("field", field));
        }
        return s;
    }
}
