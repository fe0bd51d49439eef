package dev.junction.server.identity;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.JdbcUsers;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/me}: the caller. A signed-in user reads and changes their own display name and
 * preferences (see {@link Profiles}); an API key caller reads who it is and has no profile to change
 * (409 {@code NOT_A_USER}).
 */
@RestController
class MeController {
    private final JdbcUsers users;
    private final JunctionSettings settings;
    private final Clock clock;

    MeController(JdbcUsers users, JunctionSettings settings, Clock clock) {
        this.users = users;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping("/api/v1/me")
    Map<String, Object> get(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestAttribute(ApiKeyFilter.ROLE) String role,
            @RequestAttribute(ApiKeyFilter.ACTOR) String actor,
            @RequestAttribute(name = SessionFilter.USER, required = false) String userId) {
        if (userId == null) {
            Map<String, Object> key = new LinkedHashMap<>();
            key.put("kind", "key");
            key.put("actor", actor);
            key.put("workspace", workspace);
            key.put("role", role);
            return key;
        }
        Map<String, Object> view = Profiles.view(user(workspace, userId));
        view.put("kind", "user");
        return view;
    }

    @PatchMapping("/api/v1/me")
    Map<String, Object> update(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestAttribute(name = SessionFilter.USER, required = false) String userId,
            HttpServletRequest request) {
        if (userId == null) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "NOT_A_USER",
                    "an API key has no profile; sign in as a user to change display name and preferences");
        }
        Map<String, Object> body = new LinkedHashMap<>(RequestBodies.jsonObject(request, settings.maxBodyBytes()));
        JdbcUsers.User u = user(workspace, userId);
        String displayName = u.displayName();
        if (body.containsKey("displayName")) {
            displayName = UserController.displayName(body.remove("displayName"));
        }
        Map<String, Object> preferences = Profiles.apply(u.preferences(), body);
        JdbcUsers.User changed = new JdbcUsers.User(
                u.workspaceId(),
                u.id(),
                u.login(),
                displayName,
                u.passwordHash(),
                u.role(),
                u.failedAttempts(),
                u.lockedUntil(),
                u.disabled(),
                u.ssoIssuer(),
                u.ssoSubject(),
                preferences,
                u.createdAt(),
                clock.instant());
        users.update(changed);
        Map<String, Object> view = Profiles.view(changed);
        view.put("kind", "user");
        return view;
    }

    private JdbcUsers.User user(String workspace, String id) {
        return users.find(workspace, id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND, "USER_NOT_FOUND", "user '%s' no longer exists".formatted(id)));
    }
}
