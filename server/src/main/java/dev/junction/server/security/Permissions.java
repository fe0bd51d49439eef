package dev.junction.server.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call which API route: the least role for every {@code METHOD /route/{pattern}}. The one
 * place the permission matrix lives; {@code docs/security.md} shows it (a test keeps the two equal)
 * and a route without a rule is refused for everyone (fail closed; another test finds such routes).
 */
public final class Permissions {
    /** What a rule is for, in the words of docs/security.md. */
    public record Rule(Role least, String what) {}

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        // reading: anyone with a key of the workspace
        read("GET /api/v1/flows", "list flows");
        read("GET /api/v1/flows/{id}", "read a flow");
        read("GET /api/v1/flows/{id}/versions", "list a flow's versions");
        read("GET /api/v1/flows/{id}/versions/{version}", "read a flow version");
        read("GET /api/v1/runs", "list runs");
        read("GET /api/v1/runs/{id}", "read a run with its steps");
        read("GET /api/v1/dead-letters", "list dead letters");
        read("GET /api/v1/connectors", "list connectors");
        read("GET /api/v1/connectors/{id}", "read a connector");
        read("GET /api/v1/connections", "list connections");
        read("GET /api/v1/connections/{id}", "read a connection (never its secrets)");
        read("GET /api/v1/connections/{id}/operations", "list a connection's operations");
        read("GET /api/v1/secrets", "list secret names (never values)");
        read("GET /api/v1/workspace", "read the workspace");
        read("GET /api/v1/me", "read one's own profile (for a key: who it is)");
        read("PATCH /api/v1/me", "change one's own display name and preferences (users only)");
        // running: operators
        rule("POST /api/v1/flows/{id}/runs", Role.OPERATOR, "start a run");
        rule("POST /api/v1/runs/{id}/replay", Role.OPERATOR, "replay a run");
        rule("POST /api/v1/runs/replay", Role.OPERATOR, "replay runs in bulk");
        rule("POST /api/v1/runs/{id}/cancel", Role.OPERATOR, "cancel a run");
        rule("POST /api/v1/connections/{id}/test", Role.OPERATOR, "test a connection");
        rule(
                "POST /api/v1/connections/{id}/poll",
                Role.OPERATOR,
                "poll now the enabled flows whose poll trigger reads a connection (Sync now)");
        // building: editors
        rule("POST /api/v1/flows", Role.EDITOR, "create a flow");
        rule("PUT /api/v1/flows/{id}", Role.EDITOR, "change a flow (new version)");
        rule("DELETE /api/v1/flows/{id}", Role.EDITOR, "disable a flow");
        rule("POST /api/v1/connections", Role.EDITOR, "create a connection");
        rule("PUT /api/v1/connections/{id}", Role.EDITOR, "change a connection");
        rule("DELETE /api/v1/connections/{id}", Role.EDITOR, "delete a connection");
        rule("POST /api/v1/connections/{id}/activate", Role.EDITOR, "activate a connection");
        rule("POST /api/v1/connections/{id}/disable", Role.EDITOR, "disable a connection");
        rule("POST /api/v1/connections/{id}/oauth/authorize", Role.EDITOR, "start an OAuth authorization");
        rule("PUT /api/v1/secrets/{name}", Role.EDITOR, "set a secret");
        rule("DELETE /api/v1/secrets/{name}", Role.EDITOR, "delete a secret");
        // administering: admins
        rule("PATCH /api/v1/workspace", Role.ADMIN, "change workspace settings (name, retention)");
        rule("GET /api/v1/keys", Role.ADMIN, "list API keys");
        rule("POST /api/v1/keys", Role.ADMIN, "create an API key (for a role no higher than one's own)");
        rule("DELETE /api/v1/keys/{id}", Role.ADMIN, "revoke an API key");
        rule("GET /api/v1/audit", Role.ADMIN, "read the audit log");
        rule("POST /api/v1/audit/verify", Role.ADMIN, "verify the audit chain");
        rule("GET /api/v1/users", Role.ADMIN, "list users");
        rule("POST /api/v1/users", Role.ADMIN, "create a local user (for a role no higher than one's own)");
        rule("PATCH /api/v1/users/{id}", Role.ADMIN, "change, disable or unlock a user (no stronger than oneself)");
        rule("DELETE /api/v1/users/{id}", Role.ADMIN, "delete a user (ends their sessions)");
        // owning: owners
        rule("POST /api/v1/workspaces", Role.OWNER, "create a workspace (answers its first owner key)");
        rule("POST /api/v1/workspace/archive", Role.OWNER, "archive the workspace (its keys and webhooks stop)");
        rule("POST /api/v1/admin/master-key/rotate", Role.OWNER, "rotate the master key");
    }

    private Permissions() {}

    private static void read(String route, String what) {
        rule(route, Role.VIEWER, what);
    }

    private static void rule(String route, Role least, String what) {
        if (RULES.put(route, new Rule(least, what)) != null) {
            throw new IllegalStateException("two rules for " + route);
        }
    }

    /** The rule for {@code method} on route {@code pattern}, if there is one. */
    public static Optional<Rule> of(String method, String pattern) {
        return Optional.ofNullable(RULES.get(method + " " + pattern));
    }

    /** Every rule, by route, in the order of docs/security.md. */
    public static Map<String, Rule> all() {
        return Collections.unmodifiableMap(RULES);
    }

    /** The matrix as a Markdown table (route, least role, what). */
    public static String markdown() {
        StringBuilder md = new StringBuilder("| route | least role | what |\n|---|---|---|\n");
        RULES.forEach((route, r) -> md.append("| `")
                .append(route)
                .append("` | ")
                .append(r.least().id())
                .append(" | ")
                .append(r.what())
                .append(" |\n"));
        return md.toString();
    }
}
