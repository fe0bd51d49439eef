package dev.junction.server.identity;

import dev.junction.server.core.JunctionSettings;
import dev.junction.store.JdbcUsers;
import java.net.URI;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /auth/oidc/start} sends the browser to the identity provider; {@code /auth/oidc/callback}
 * is where it comes back: on success the session cookies are set and the browser goes to {@code /}.
 * Register {@code <JUNCTION_PUBLIC_URL>/auth/oidc/callback} as the client's redirect URI.
 */
@RestController
class OidcController {
    private final OidcSignIn signIn;
    private final Sessions sessions;
    private final JunctionSettings settings;
    private final Environment env;

    OidcController(OidcSignIn signIn, Sessions sessions, JunctionSettings settings, Environment env) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.settings = settings;
        this.env = env;
    }

    @GetMapping("/auth/oidc/start")
    ResponseEntity<Void> start(@RequestParam(required = false) String workspace) {
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(signIn.start(workspace, redirectUri())))
                .build();
    }

    @GetMapping("/auth/oidc/callback")
    ResponseEntity<Void> callback(
            @RequestParam(required = false) String code,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String error) {
        JdbcUsers.User user = signIn.finish(code, state, error);
        Sessions.Started s = sessions.start(user);
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create("/"))
                .header(HttpHeaders.SET_COOKIE, sessions.cookie(s.token()).toString())
                .header(
                        HttpHeaders.SET_COOKIE,
                        sessions.csrfCookie(s.csrfToken()).toString())
                .build();
    }

    private String redirectUri() {
        String base = settings.publicUrl() != null
                ? settings.publicUrl()
                : "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        return base + "/auth/oidc/callback";
    }
}
