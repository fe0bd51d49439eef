package dev.junction.server.security;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.store.ApiKeyStore;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/keys}: API keys of the caller's workspace. A key is created for a role no higher
 * than the caller's, optionally expiring and restricted to named flows; its clear text is answered
 * once and only its SHA-256 is kept. Revocation takes effect on the next request.
 */
@RestController
class KeyController {
    private static final Pattern FLOW_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Set<String> FIELDS = Set.of("name", "role", "expiresAt", "flows");

    private final ApiKeyStore keys;
    private final JunctionSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    KeyController(ApiKeyStore keys, JunctionSettings settings, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
    }

    @PostMapping("/api/v1/keys")
    ResponseEntity<Map<String, Object>> create(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestAttribute(ApiKeyFilter.ROLE) String callerRole,
            @RequestAttribute(ApiKeyFilter.ACTOR) String actor,
            HttpServletRequest request) {
        Map<String, Object> body = RequestBodies.jsonObject(request, settings.maxBodyBytes());
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                throw invalid(field, "unknown field '%s'; expected name, role, expiresAt, flows".formatted(field));
            }
        }
        if (!(body.get("name") instanceof String name) || name.isBlank() || name.length() > 200) {
            throw invalid("name", "'name' must be text of 1 to 200 characters, e.g. \"ci deploys\"");
        }
        Role role = body.get("role") instanceof String r
                ? Role.of(r)
                        .orElseThrow(() -> invalid("role", "'role' must be viewer, operator, editor, admin or owner"))
                : null;
        if (role == null) {
            throw invalid("role", "'role' is required: viewer, operator, editor, admin or owner");
        }
        Role caller = Role.of(callerRole).orElse(Role.VIEWER);
        if (!caller.atLeast(role)) {
            throw new ApiProblem(
                    HttpStatus.FORBIDDEN,
                    "ROLE_TOO_HIGH",
                    "a key with role '%s' cannot create a key with the stronger role '%s'"
                            .formatted(caller.id(), role.id()),
                    Map.of("field", "role"));
        }
        Instant now = clock.instant();
        Instant expiresAt = expiry(body.get("expiresAt"), now);
        List<String> flows = flows(body.get("flows"));
        String id = "key-" + HexFormat.of().formatHex(bytes(6));
        String clear = "jct_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        ApiKeyStore.StoredKey stored = new ApiKeyStore.StoredKey(
                new ApiKeyStore.ApiKey(id, workspace, name.strip(), role.id()),
                now,
                null,
                expiresAt,
                null,
                flows,
                actor,
                false);
        keys.create(stored, clear);
        Map<String, Object> view = view(stored);
        view.put("key", clear);
        view.put("note", "the key is shown only now; store it safely");
        return ResponseEntity.status(HttpStatus.CREATED).body(view);
    }

    @GetMapping("/api/v1/keys")
    Map<String, Object> list(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace) {
        List<Map<String, Object>> items = new ArrayList<>();
        keys.list(workspace).forEach(k -> items.add(view(k)));
        return Map.of("items", items);
    }

    @DeleteMapping("/api/v1/keys/{id}")
    ResponseEntity<Void> revoke(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace, @PathVariable String id) {
        if (!keys.revoke(workspace, id, clock.instant())) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "KEY_NOT_FOUND",
                    "there is no unrevoked key '%s' in this workspace".formatted(id));
        }
        return ResponseEntity.noContent().build();
    }

    static Map<String, Object> view(ApiKeyStore.StoredKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.key().id());
        m.put("name", k.key().name());
        m.put("role", k.key().role());
        m.put("createdAt", str(k.createdAt()));
        m.put("createdBy", k.createdBy());
        m.put("lastUsedAt", str(k.lastUsedAt()));
        m.put("expiresAt", str(k.expiresAt()));
        m.put("revokedAt", str(k.revokedAt()));
        m.put("flows", k.flows());
        return m;
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Instant expiry(Object value, Instant now) {
        if (value == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(String.valueOf(value));
            if (!at.isAfter(now)) {
                throw invalid("expiresAt", "'expiresAt' %s is not in the future".formatted(at));
            }
            return at;
        } catch (DateTimeParseException e) {
            throw invalid("expiresAt", "'expiresAt' must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
        }
    }

    private static List<String> flows(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw invalid("flows", "'flows' must be a non-empty list of flow ids, e.g. [\"shop-orders\"]");
        }
        List<String> out = new ArrayList<>();
        for (Object f : list) {
            if (!(f instanceof String id) || !FLOW_ID.matcher(id).matches()) {
                throw invalid("flows", "'flows' holds '%s', which is not a flow id".formatted(f));
            }
            out.add(id);
        }
        return List.copyOf(out);
    }

    private static ApiProblem invalid(String field, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "KEY_INVALID", message, Map.of("field", field));
    }
}
