package dev.junction.server.identity;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import jakarta.servlet.http.HttpServletRequest;
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
    private final ProfileService profiles;
    private final JunctionSettings settings;

    MeController(ProfileService profiles, JunctionSettings settings) {
        this.profiles = profiles;
        this.settings = settings;
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
        Map<String, Object> view = profiles.view(workspace, userId);
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
        Map<String, Object> view =
                profiles.change(workspace, userId, RequestBodies.jsonObject(request, settings.maxBodyBytes()));
        view.put("kind", "user");
        return view;
    }
}
