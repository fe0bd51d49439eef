package dev.junction.server.identity;

import dev.junction.server.api.ApiProblem;
import dev.junction.store.JdbcUsers;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * A signed-in user's own profile: read it and change the display name and preferences (validated
 * by {@link Profiles}). Used by {@code /api/v1/me} and the web UI's profile page alike.
 */
@Component
public class ProfileService {
    private final JdbcUsers users;
    private final Clock clock;

    ProfileService(JdbcUsers users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /** The signed-in user of a request, or null for an API key caller. */
    public static String userId(HttpServletRequest request) {
        Object id = request.getAttribute(SessionFilter.USER);
        return id == null ? null : id.toString();
    }

    /** The profile as the API answers it: id, login, displayName, role, preferences, ... */
    public Map<String, Object> view(String workspace, String userId) {
        return Profiles.view(user(workspace, userId));
    }

    /**
     * Applies {@code changes} ({@code displayName} and preferences; a null preference removes it)
     * and answers the profile as it is now. An invalid field is a 422 {@code PROFILE_INVALID}
     * problem naming it in its {@code field} property; nothing is changed then.
     */
    public Map<String, Object> change(String workspace, String userId, Map<String, Object> changes) {
        Map<String, Object> body = new LinkedHashMap<>(changes);
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
        return Profiles.view(changed);
    }

    private JdbcUsers.User user(String workspace, String id) {
        return users.find(workspace, id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND, "USER_NOT_FOUND", "user '%s' no longer exists".formatted(id)));
    }
}
