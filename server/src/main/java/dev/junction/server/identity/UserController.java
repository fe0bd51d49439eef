package dev.junction.server.identity;

import dev.junction.server.api.ApiKeyFilter;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.api.RequestBodies;
import dev.junction.server.core.JunctionSettings;
import dev.junction.server.security.Role;
import dev.junction.store.JdbcUsers;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/users}: the workspace's users, for admins. A caller may create, change or delete
 * only users whose role is no higher than their own, and give no role higher than their own (403
 * {@code ROLE_TOO_HIGH}); a signed-in caller may not disable, demote or delete themselves ({@code
 * USER_SELF}). Disabling a user, changing their password or deleting them ends their sessions.
 */
@RestController
class UserController {
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9._@+-]{1,200}");
    private static final Set<String> CREATE_FIELDS = Set.of("login", "displayName", "password", "role");
    private static final Set<String> PATCH_FIELDS = Set.of("displayName", "password", "role", "disabled", "unlock");

    private final JdbcUsers users;
    private final Passwords passwords;
    private final Sessions sessions;
    private final JunctionSettings settings;
    private final Clock clock;

    UserController(JdbcUsers users, Passwords passwords, Sessions sessions, JunctionSettings settings, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.sessions = sessions;
        this.settings = settings;
        this.clock = clock;
    }

    @GetMapping("/api/v1/users")
    Map<String, Object> list(@RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace) {
        return Map.of(
                "items", users.list(workspace).stream().map(Profiles::view).toList());
    }

    @PostMapping("/api/v1/users")
    ResponseEntity<Map<String, Object>> create(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestAttribute(ApiKeyFilter.ROLE) String callerRole,
            HttpServletRequest request) {
        Map<String, Object> body = body(request, CREATE_FIELDS);
        if (!(body.get("login") instanceof String login)
                || !LOGIN.matcher(login).matches()) {
            throw invalid("login", "'login' must be 1 to 200 of A-Z, a-z, 0-9 and . _ @ + -, e.g. ada@example.com");
        }
        Role role = role(body.get("role"), callerRole);
        String weakness = Passwords.weakness(body.get("password"));
        if (weakness != null) {
            throw invalid("password", weakness);
        }
        String displayName = body.containsKey("displayName") ? displayName(body.get("displayName")) : login;
        Instant now = clock.instant();
        JdbcUsers.User user = new JdbcUsers.User(
                workspace,
                Tokens.userId(),
                login,
                displayName,
                passwords.hash((String) body.get("password")),
                role.id(),
                0,
                null,
                false,
                null,
                null,
                Map.of(),
                now,
                now);
        if (!users.insert(user)) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "USER_EXISTS",
                    "the workspace has a user with login '%s' already".formatted(login),
                    Map.of("field", "login"));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Profiles.view(user));
    }

    @PatchMapping("/api/v1/users/{id}")
    Map<String, Object> update(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestAttribute(ApiKeyFilter.ROLE) String callerRole,
            @RequestAttribute(name = SessionFilter.USER, required = false) String self,
            @PathVariable String id,
            HttpServletRequest request) {
        Map<String, Object> body = body(request, PATCH_FIELDS);
        JdbcUsers.User u = target(workspace, id, callerRole);
        boolean isSelf = id.equals(self);
        String role = u.role();
        if (body.containsKey("role")) {
            role = role(body.get("role"), callerRole).id();
            if (isSelf && !role.equals(u.role())) {
                throw self("change their own role");
            }
        }
        boolean disabled = u.disabled();
        if (body.containsKey("disabled")) {
            if (!(body.get("disabled") instanceof Boolean d)) {
                throw invalid("disabled", "'disabled' must be true or false");
            }
            if (isSelf && d) {
                throw self("disable themselves");
            }
            disabled = d;
        }
        String hash = u.passwordHash();
        if (body.containsKey("password")) {
            String weakness = Passwords.weakness(body.get("password"));
            if (weakness != null) {
                throw invalid("password", weakness);
            }
            hash = passwords.hash((String) body.get("password"));
        }
        String displayName = body.containsKey("displayName") ? displayName(body.get("displayName")) : u.displayName();
        if (body.containsKey("unlock") && !Boolean.TRUE.equals(body.get("unlock"))) {
            throw invalid("unlock", "'unlock' may only be true (it lifts a lock after failed sign-ins)");
        }
        JdbcUsers.User changed = new JdbcUsers.User(
                workspace,
                id,
                u.login(),
                displayName,
                hash,
                role,
                u.failedAttempts(),
                u.lockedUntil(),
                disabled,
                u.ssoIssuer(),
                u.ssoSubject(),
                u.preferences(),
                u.createdAt(),
                clock.instant());
        users.update(changed);
        if (Boolean.TRUE.equals(body.get("unlock"))) {
            users.recordSuccess(workspace, id);
        }
        if ((disabled && !u.disabled()) || body.containsKey("password")) {
            sessions.endAll(workspace, id);
        }
        return Profiles.view(users.find(workspace, id).orElse(changed));
    }

    @DeleteMapping("/api/v1/users/{id}")
    ResponseEntity<Void> delete(
            @RequestAttribute(ApiKeyFilter.WORKSPACE) String workspace,
            @RequestAttribute(ApiKeyFilter.ROLE) String callerRole,
            @RequestAttribute(name = SessionFilter.USER, required = false) String self,
            @PathVariable String id) {
        target(workspace, id, callerRole);
        if (id.equals(self)) {
            throw self("delete themselves");
        }
        users.delete(workspace, id);
        return ResponseEntity.noContent().build();
    }

    /** The user {@code id}, if the caller's role is at least theirs. */
    private JdbcUsers.User target(String workspace, String id, String callerRole) {
        JdbcUsers.User u = users.find(workspace, id)
                .orElseThrow(() -> new ApiProblem(
                        HttpStatus.NOT_FOUND,
                        "USER_NOT_FOUND",
                        "there is no user '%s' in this workspace".formatted(id)));
        Role caller = Role.of(callerRole).orElse(Role.VIEWER);
        Role theirs = Role.of(u.role()).orElse(Role.OWNER);
        if (!caller.atLeast(theirs)) {
            throw new ApiProblem(
                    HttpStatus.FORBIDDEN,
                    "ROLE_TOO_HIGH",
                    "a caller with role '%s' cannot change user '%s', whose role '%s' is stronger"
                            .formatted(caller.id(), id, theirs.id()));
        }
        return u;
    }

    private static Role role(Object value, String callerRole) {
        Role role = value instanceof String r ? Role.of(r).orElse(null) : null;
        if (role == null) {
            throw invalid("role", "'role' must be viewer, operator, editor, admin or owner");
        }
        Role caller = Role.of(callerRole).orElse(Role.VIEWER);
        if (!caller.atLeast(role)) {
            throw new ApiProblem(
                    HttpStatus.FORBIDDEN,
                    "ROLE_TOO_HIGH",
                    "a caller with role '%s' cannot give the stronger role '%s'".formatted(caller.id(), role.id()),
                    Map.of("field", "role"));
        }
        return role;
    }

    static String displayName(Object value) {
        if (!(value instanceof String n) || n.isBlank() || n.length() > 200) {
            throw invalid("displayName", "'displayName' must be text of 1 to 200 characters");
        }
        return n.strip();
    }

    private Map<String, Object> body(HttpServletRequest request, Set<String> allowed) {
        Map<String, Object> body = RequestBodies.jsonObject(request, settings.maxBodyBytes());
        for (String field : body.keySet()) {
            if (!allowed.contains(field)) {
                throw invalid(
                        field,
                        "unknown field '%s'; expected %s"
                                .formatted(field, String.join(", ", List.copyOf(new java.util.TreeSet<>(allowed)))));
            }
        }
        return body;
    }

    private static ApiProblem self(String what) {
        return new ApiProblem(
                HttpStatus.CONFLICT, "USER_SELF", "a user may not " + what + "; ask another admin or owner");
    }

    private static ApiProblem invalid(String field, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "USER_INVALID", message, Map.of("field", field));
    }
}
