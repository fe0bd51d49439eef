package dev.junction.server.vault;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.vault.Vault;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * Workspace secrets, usable in flows as {@code secrets.<name>}. Write-only: values go in, only names
 * and times come out.
 */
@RestController
class SecretController {
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final int MAX_VALUE_CHARS = 64 * 1024;

    private final Vault vault;
    private final SecretsCache cache;
    private final JunctionSettings settings;

    SecretController(Vault vault, SecretsCache cache, JunctionSettings settings) {
        this.vault = vault;
        this.cache = cache;
        this.settings = settings;
    }

    @GetMapping("/api/v1/secrets")
    Map<String, Object> list(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace) {
        List<Map<String, Object>> items = vault.list(workspace, Vault.WORKSPACE).stream()
                .map(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", s.name());
                    m.put("updatedAt", s.updatedAt().toString());
                    return m;
                })
                .toList();
        return Map.of("items", items);
    }

    @PutMapping("/api/v1/secrets/{name}")
    ResponseEntity<Void> put(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @PathVariable String name,
            HttpServletRequest request) {
        checkName(name);
        Map<String, Object> body = RequestBodies.jsonObject(request, settings.maxBodyBytes());
        if (!(body.get("value") instanceof String value) || value.isEmpty()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "the body must be {\"value\": \"...\"} with a non-empty text value",
                    Map.of("field", "value"));
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "'value' is longer than " + MAX_VALUE_CHARS + " characters",
                    Map.of("field", "value"));
        }
        for (String key : body.keySet()) {
            if (!key.equals("value")) {
                throw new ApiProblem(
                        HttpStatus.BAD_REQUEST,
                        "BAD_REQUEST",
                        "unknown field '" + key + "'; expected only 'value'",
                        Map.of("field", key));
            }
        }
        vault.put(workspace, Vault.WORKSPACE, name, value);
        cache.invalidate(workspace);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/v1/secrets/{name}")
    ResponseEntity<Void> delete(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, @PathVariable String name) {
        checkName(name);
        if (!vault.delete(workspace, Vault.WORKSPACE, name)) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND, "SECRET_NOT_FOUND", "there is no secret '" + name + "' in this workspace");
        }
        cache.invalidate(workspace);
        return ResponseEntity.noContent().build();
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "BAD_REQUEST",
                    "'%s' is not a valid secret name: letters, digits and _, starting with a letter or _, at most 64"
                            .formatted(name),
                    Map.of("field", "name"));
        }
    }
}
