package dev.junction.server.workspace;

import dev.junction.engine.json.Json;
import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.JdbcWorkspaces;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** The caller's workspace and its policies: {@code retentionDays} (1 to 3650) bounds run history. */
@RestController
class WorkspaceController {
    static final int MAX_RETENTION_DAYS = 3650;

    private final JdbcWorkspaces workspaces;
    private final JunctionSettings settings;

    WorkspaceController(JdbcWorkspaces workspaces, JunctionSettings settings) {
        this.workspaces = workspaces;
        this.settings = settings;
    }

    @GetMapping("/api/v1/workspace")
    Map<String, Object> get(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace) {
        return view(workspace);
    }

    @PatchMapping("/api/v1/workspace")
    Map<String, Object> update(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, HttpServletRequest request) {
        Map<String, Object> body = RequestBodies.jsonObject(request, settings.maxBodyBytes());
        if (body.isEmpty()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "the body must be an object such as {\"retentionDays\": 30}");
        }
        for (String key : body.keySet()) {
            if (!"retentionDays".equals(key)) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "BAD_REQUEST",
                        "'" + key + "' cannot be changed; expected retentionDays",
                        Map.of("field", String.valueOf(key)));
            }
        }
        if (!(body.get("retentionDays") instanceof Integer days) || days < 1 || days > MAX_RETENTION_DAYS) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "'retentionDays' must be a whole number of days from 1 to " + MAX_RETENTION_DAYS + ", was "
                            + Json.write(body.get("retentionDays")),
                    Map.of("field", "retentionDays"));
        }
        workspaces.setRetentionDays(workspace, days);
        return view(workspace);
    }

    private Map<String, Object> view(String workspace) {
        var ws = workspaces
                .find(workspace)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no workspace " + workspace));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ws.id());
        m.put("name", ws.name());
        m.put("retentionDays", ws.retentionDays());
        return m;
    }
}
