package dev.junction.server.ui;

import dev.junction.server.identity.Sessions;
import dev.junction.server.identity.SignInOptions;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in page (public) and the entry points {@code /} and {@code /ui/}. The page's script
 * posts to {@code POST /auth/login} (JSON only, which a cross-site form cannot send) and then
 * returns to {@code next}, a page of this UI and nothing else, so the parameter cannot send a
 * signed-in user to another site.
 */
@Controller
class SignInPages {
    private static final String HOME = "/ui/flows";

    private final Pages pages;
    private final SignInOptions options;

    SignInPages(Pages pages, SignInOptions options) {
        this.pages = pages;
        this.options = options;
    }

    @GetMapping(Sessions.UI_LOGIN)
    ResponseEntity<String> login(@RequestParam(required = false) String next) {
        return pages.html(HttpStatus.OK, "login.jte", Map.of("next", safeNext(next), "sso", options.singleSignOn()));
    }

    @GetMapping({"/", "/ui", "/ui/"})
    ResponseEntity<Void> home() {
        return ResponseEntity.status(HttpStatus.SEE_OTHER)
                .header("Location", HOME)
                .build();
    }

    /** {@code next} when it is a path of this UI, else the home page. */
    static String safeNext(String next) {
        if (next == null
                || !(next.equals("/ui") || next.startsWith("/ui/") || next.startsWith("/ui?"))
                || next.contains("\\")
                || next.contains("//")
                || next.startsWith(Sessions.UI_LOGIN)
                || next.chars().anyMatch(Character::isISOControl)) {
            return HOME;
        }
        return next;
    }
}
