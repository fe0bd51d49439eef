package dev.junction.server.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.junction.server.api.ApiProblem;
import dev.junction.server.security.Role;
import dev.junction.store.JdbcOidcStates;
import dev.junction.store.JdbcUsers;
import dev.junction.store.JdbcWorkspaces;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Single sign-on with OpenID Connect, authorization code flow with PKCE (S256). {@link #start}
 * keeps state (by its SHA-256), nonce and code verifier in the database for {@link #STATE_TTL};
 * {@link #finish} takes them once, exchanges the code, validates the ID token ({@link
 * IdTokenValidator}) and provisions or updates the user: matched by issuer and subject, given the
 * strongest role its groups map to (else the default role) at every sign-in, so the provider stays
 * the source of truth. Every outcome of a callback that names a known state is audited.
 */
@Component
class OidcSignIn {
    static final Duration STATE_TTL = Duration.ofMinutes(10);
    static final String ACTION = "GET /auth/oidc/callback";

    private final OidcSettings settings;
    private final OidcProvider provider;
    private final IdTokenValidator validator;
    private final JdbcOidcStates states;
    private final JdbcUsers users;
    private final JdbcWorkspaces workspaces;
    private final SignInAudit audit;
    private final Clock clock;

    OidcSignIn(
            OidcSettings settings,
            JdbcOidcStates states,
            JdbcUsers users,
            JdbcWorkspaces workspaces,
            SignInAudit audit,
            Clock clock) {
        this.settings = settings;
        this.provider = new OidcProvider(settings);
        this.validator = settings.enabled()
                ? new IdTokenValidator(settings.issuer(), settings.clientId(), provider.keys(), clock)
                : null;
        this.states = states;
        this.users = users;
        this.workspaces = workspaces;
        this.audit = audit;
        this.clock = clock;
    }

    /** Where to send the browser to sign in to {@code workspace} (null: the configured one). */
    String start(String workspace, String redirectUri) {
        requireEnabled();
        String ws = workspace == null || workspace.isBlank() ? settings.workspace() : workspace.strip();
        if (workspaces.find(ws).map(w -> w.archivedAt() == null).orElse(false) == false) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "WORKSPACE_NOT_FOUND",
                    "there is no open workspace '%s' to sign in to".formatted(ws));
        }
        OidcProvider.Metadata m;
        try {
            m = provider.metadata();
        } catch (OidcProvider.Unreachable e) {
            throw unavailable(e);
        }
        Instant now = clock.instant();
        states.purgeExpired(ws, now);
        String state = Tokens.random();
        String nonce = Tokens.random();
        String verifier = Tokens.random();
        states.insert(new JdbcOidcStates.Pending(
                Tokens.sha256(state), ws, nonce, verifier, redirectUri, now.plus(STATE_TTL)));
        String base = m.authorizationEndpoint().toString();
        return base + (base.contains("?") ? "&" : "?") + "response_type=code"
                + "&client_id=" + enc(settings.clientId())
                + "&redirect_uri=" + enc(redirectUri)
                + "&scope=" + enc("openid profile email")
                + "&state=" + enc(state)
                + "&nonce=" + enc(nonce)
                + "&code_challenge=" + enc(Tokens.s256(verifier))
                + "&code_challenge_method=S256";
    }

    /** The provider's redirect: the signed-in user, or an {@link ApiProblem}. */
    JdbcUsers.User finish(String code, String state, String error) {
        requireEnabled();
        if (state == null || state.isBlank()) {
            throw stateInvalid("the redirect carries no state");
        }
        JdbcOidcStates.Pending pending = states.take(Tokens.sha256(state), clock.instant())
                .orElseThrow(() -> stateInvalid("the state is unknown, expired or already used"));
        String ws = pending.workspaceId();
        if (error != null || code == null || code.isBlank()) {
            audit.record(ws, "sso:unknown", ACTION, 401);
            throw new ApiProblem(
                    HttpStatus.UNAUTHORIZED,
                    "SSO_REFUSED",
                    error != null
                            ? "the identity provider refused the sign-in: " + error
                            : "the redirect carries neither 'code' nor 'error'");
        }
        String idToken;
        try {
            idToken = provider.exchange(code, pending.codeVerifier(), pending.redirectUri());
        } catch (OidcProvider.Unreachable e) {
            audit.record(ws, "sso:unknown", ACTION, 502);
            throw unavailable(e);
        }
        JWTClaimsSet claims;
        try {
            claims = validator.validate(idToken, pending.nonce());
        } catch (IdTokenValidator.Rejected e) {
            audit.record(ws, "sso:" + unverifiedSubject(idToken), ACTION, 401);
            throw new ApiProblem(
                    HttpStatus.UNAUTHORIZED,
                    "SSO_TOKEN_INVALID",
                    "the sign-in was refused: " + e.getMessage(),
                    Map.of("check", e.check().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return provision(ws, claims);
    }

    private JdbcUsers.User provision(String ws, JWTClaimsSet claims) {
        String subject = claims.getSubject();
        Role role = role(claims.getClaim(settings.groupsClaim()));
        Instant now = clock.instant();
        var existing = users.findBySso(ws, settings.issuer(), subject);
        JdbcUsers.User user;
        if (existing.isPresent()) {
            JdbcUsers.User u = existing.get();
            if (u.disabled()) {
                audit.record(ws, "user:" + u.id(), ACTION, 401);
                throw new ApiProblem(
                        HttpStatus.UNAUTHORIZED, "SSO_USER_DISABLED", "this account is disabled; ask an admin");
            }
            user = new JdbcUsers.User(
                    ws,
                    u.id(),
                    u.login(),
                    u.displayName(),
                    u.passwordHash(),
                    role.id(),
                    0,
                    null,
                    false,
                    u.ssoIssuer(),
                    u.ssoSubject(),
                    u.preferences(),
                    u.createdAt(),
                    now);
            users.update(user);
        } else {
            String login = login(claims);
            user = new JdbcUsers.User(
                    ws,
                    Tokens.userId(),
                    login,
                    text(claims.getClaim("name"), login),
                    null,
                    role.id(),
                    0,
                    null,
                    false,
                    settings.issuer(),
                    subject,
                    Map.of(),
                    now,
                    now);
            if (!users.insert(user)) {
                audit.record(ws, SignInAudit.attempted(login), ACTION, 409);
                throw new ApiProblem(
                        HttpStatus.CONFLICT,
                        "SSO_LOGIN_TAKEN",
                        "the workspace has a local user with login '%s'; an admin must rename or delete it before"
                                        .formatted(login)
                                + " this single sign-on user can be created (accounts are never merged by name)");
            }
        }
        audit.record(ws, "user:" + user.id(), ACTION, 200);
        return user;
    }

    /** The strongest role any of {@code groups} maps to, or the default role. */
    Role role(Object groups) {
        Collection<?> names = groups instanceof Collection<?> c ? c : groups == null ? List.of() : List.of(groups);
        Role best = null;
        for (Object g : names) {
            Role mapped = settings.roleMap().get(String.valueOf(g));
            if (mapped != null && (best == null || mapped.atLeast(best))) {
                best = mapped;
            }
        }
        return best == null ? settings.defaultRole() : best;
    }

    private static String login(JWTClaimsSet claims) {
        for (String claim : List.of("preferred_username", "email")) {
            if (claims.getClaim(claim) instanceof String s && !s.isBlank() && s.length() <= 200) {
                return s.strip();
            }
        }
        String sub = claims.getSubject();
        return "sso-" + (sub.length() > 190 ? sub.substring(0, 190) : sub);
    }

    private static String text(Object value, String fallback) {
        return value instanceof String s && !s.isBlank()
                ? (s.length() > 200 ? s.substring(0, 200) : s.strip())
                : fallback;
    }

    private static String unverifiedSubject(String idToken) {
        try {
            String sub = SignedJWT.parse(idToken).getJWTClaimsSet().getSubject();
            return sub == null ? "unknown" : SignInAudit.attempted(sub).substring("login:".length()) + " (unverified)";
        } catch (java.text.ParseException e) {
            return "unknown";
        }
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw new ApiProblem(
                    HttpStatus.NOT_FOUND,
                    "SSO_NOT_CONFIGURED",
                    "single sign-on is not configured; an operator sets JUNCTION_OIDC_ISSUER and JUNCTION_OIDC_CLIENT_ID");
        }
    }

    private static ApiProblem unavailable(OidcProvider.Unreachable e) {
        return new ApiProblem(
                HttpStatus.BAD_GATEWAY, "SSO_PROVIDER_UNAVAILABLE", "the identity provider failed: " + e.getMessage());
    }

    private static ApiProblem stateInvalid(String why) {
        return new ApiProblem(
                HttpStatus.BAD_REQUEST,
                "OIDC_STATE_INVALID",
                why + "; start the sign-in again at GET /auth/oidc/start");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
