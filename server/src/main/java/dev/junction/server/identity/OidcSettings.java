package dev.junction.server.identity;

import dev.junction.server.security.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Single sign-on settings, read once at start-up from {@code JUNCTION_OIDC_*}: the issuer (its
 * metadata is discovered at {@code <issuer>/.well-known/openid-configuration}), the client id and
 * secret registered with it, the role given to users no group maps, the ID token claim that lists
 * groups, group → role mappings ({@code junction-admins=admin,ops=operator}) and the workspace SSO
 * users belong to unless {@code /auth/oidc/start?workspace=} names another. Without an issuer SSO is
 * off. {@link #toString()} never shows the secret.
 */
record OidcSettings(
        String issuer,
        String clientId,
        String clientSecret,
        Role defaultRole,
        String groupsClaim,
        Map<String, Role> roleMap,
        String workspace) {
    OidcSettings {
        roleMap = Map.copyOf(roleMap);
    }

    boolean enabled() {
        return issuer != null;
    }

    static OidcSettings from(Environment env) {
        String issuer = blankToNull(env.getProperty("JUNCTION_OIDC_ISSUER"));
        String clientId = blankToNull(env.getProperty("JUNCTION_OIDC_CLIENT_ID"));
        if (issuer != null && clientId == null) {
            throw new IllegalStateException(
                    "JUNCTION_OIDC_ISSUER is set, so JUNCTION_OIDC_CLIENT_ID must name the client registered with it");
        }
        if (issuer != null && !issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            throw new IllegalStateException(
                    "JUNCTION_OIDC_ISSUER must be the provider's issuer URL such as https://login.example.com/realms/x,"
                            + " was '" + issuer + "'");
        }
        String defaultRoleText = env.getProperty("JUNCTION_OIDC_DEFAULT_ROLE", "viewer");
        Role defaultRole = Role.of(defaultRoleText)
                .orElseThrow(() -> new IllegalStateException(
                        "JUNCTION_OIDC_DEFAULT_ROLE must be viewer, operator, editor, admin or owner, was '"
                                + defaultRoleText + "'"));
        return new OidcSettings(
                issuer == null ? null : issuer.replaceAll("/+$", ""),
                clientId,
                blankToNull(env.getProperty("JUNCTION_OIDC_CLIENT_SECRET")),
                defaultRole,
                env.getProperty("JUNCTION_OIDC_GROUPS_CLAIM", "groups").strip(),
                roleMap(env.getProperty("JUNCTION_OIDC_ROLE_MAP", "")),
                env.getProperty("JUNCTION_OIDC_WORKSPACE", "default").strip());
    }

    /** {@code group=role,group=role}; a group name may itself contain '=' (the last one splits). */
    static Map<String, Role> roleMap(String text) {
        Map<String, Role> out = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            Role role = eq > 0 ? Role.of(entry.substring(eq + 1)).orElse(null) : null;
            if (role == null || entry.substring(0, eq).isBlank()) {
                throw new IllegalStateException("JUNCTION_OIDC_ROLE_MAP entries must read group=role (role one of"
                        + " viewer, operator, editor, admin, owner), such as junction-admins=admin; found '"
                        + entry.strip() + "'");
            }
            out.put(entry.substring(0, eq).strip(), role);
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "OidcSettings[issuer=%s, clientId=%s, clientSecret=%s, defaultRole=%s, groupsClaim=%s, roleMap=%s, workspace=%s]"
                .formatted(
                        issuer,
                        clientId,
                        clientSecret == null ? "none" : "(set)",
                        defaultRole,
                        groupsClaim,
                        roleMap,
                        workspace);
    }
}
