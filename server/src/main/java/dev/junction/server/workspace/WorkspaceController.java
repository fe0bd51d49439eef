package dev.junction.server.workspace;

import dev.junction.engine.json.Json;
import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.ApiKeyStore;
import dev.junction.store.JdbcWorkspaces;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/** The caller's workspace and its policies: {@code retentionDays} (1 to 3650) bounds run history. */
@RestController
class WorkspaceController {
    static final int MAX_RETENTION_DAYS = 3650;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final JdbcWorkspaces workspaces;
    private final ApiKeyStore keys;
    private final JunctionSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ArchivedWorkspaces archived;

    WorkspaceController(
            JdbcWorkspaces workspaces,
            ApiKeyStore keys,
            JunctionSettings settings,
            Clock clock,
            ArchivedWorkspaces archived) {
        this.archived = archived;
        this.workspaces = workspaces;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
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
                    "the body must be an object such as {\"retentionDays\": 30} or {\"name\": \"Shop\"}");
        }
        for (String key : body.keySet()) {
            if (!"retentionDays".equals(key) && !"name".equals(key)) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "BAD_REQUEST",
                        "'" + key + "' cannot be changed; expected name or retentionDays",
                        Map.of("field", String.valueOf(key)));
            }
        }
        Integer days = null;
        if (body.containsKey("retentionDays")) {
            if (!(body.get("retentionDays") instanceof Integer d) || d < 1 || d > MAX_RETENTION_DAYS) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "BAD_REQUEST",
                        "'retentionDays' must be a whole number of days from 1 to " + MAX_RETENTION_DAYS + ", was "
                                + Json.write(body.get("retentionDays")),
                        Map.of("field", "retentionDays"));
            }
            days = d;
        }
        String name = body.containsKey("name") ? name(body.get("name")) : null;
        if (days != null) {
            workspaces.setRetentionDays(workspace, days);
        }
        if (name != null) {
            workspaces.rename(workspace, name);
        }
        return view(workspace);
    }

    /** Creates a workspace and answers its first key (role owner), shown once. */
    @PostMapping("/api/v1/workspaces")
    ResponseEntity<Map<String, Object>> create(
            @RequestAttribute(ApiKeyFilter.ACTOR) String actor, HttpServletRequest request) {
        Map<String, Object> body = RequestBodies.jsonObject(request, settings.maxBodyBytes());
        if (!(body.get("id") instanceof String id) || !ID.matcher(id).matches()) {
            throw new ApiProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "WORKSPACE_INVALID",
                    "'id' must be 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit",
                    Map.of("field", "id"));
        }
        String name = body.containsKey("name") ? name(body.get("name")) : id;
        Instant now = clock.instant();
        if (!workspaces.create(id, name, now)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "WORKSPACE_EXISTS", "a workspace '%s' exists".formatted(id));
        }
        String clear = "jct_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        keys.create(
                new ApiKeyStore.StoredKey(
                        new ApiKeyStore.ApiKey("key-" + HexFormat.of().formatHex(bytes(6)), id, "first owner", "owner"),
                        now,
                        null,
                        null,
                        null,
                        null,
                        actor,
                        false),
                clear);
        Map<String, Object> view = view(id);
        view.put("ownerKey", clear);
        view.put("note", "the owner key is shown only now; store it safely");
        return ResponseEntity.status(HttpStatus.CREATED).body(view);
    }

    /** Archives the caller's workspace: its keys stop working at once; its data is kept. */
    @PostMapping("/api/v1/workspace/archive")
    Map<String, Object> archive(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace) {
        if ("default".equals(workspace)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "WORKSPACE_DEFAULT", "the default workspace cannot be archived");
        }
        workspaces.archive(workspace, clock.instant());
        archived.changed();
        return view(workspace);
    }

    private static String name(Object value) {
        if (!(value instanceof String n) || n.isBlank() || n.length() > 200) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "'name' must be text of 1 to 200 characters",
                    Map.of("field", "name"));
        }
        return n.strip();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private Map<String, Object> view(String workspace) {
        var ws = workspaces
                .find(workspace)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "NOT_FOUND", "no workspace " + workspace));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ws.id());
        m.put("name", ws.name());
        m.put("retentionDays", ws.retentionDays());
        m.put("archivedAt", ws.archivedAt() == null ? null : ws.archivedAt().toString());
        return m;
    }
}
