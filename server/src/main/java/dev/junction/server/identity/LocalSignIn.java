package dev.junction.server.identity;

import dev.junction.server.api.ApiProblem;
import dev.junction.store.JdbcUsers;
import dev.junction.store.JdbcWorkspaces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Sign-in with a workspace, login and password. Unknown workspace or login, wrong password, a
 * disabled or single sign-on account all answer the same 401 {@code SIGN_IN_FAILED}, so the answer
 * reveals no account. After {@link #MAX_FAILURES} consecutive wrong passwords the account is locked
 * for {@link #LOCK}: every attempt then answers 423 {@code ACCOUNT_LOCKED} naming when it lifts,
 * without checking the password. Every attempt is audited.
 */
@Component
class LocalSignIn {
    static final int MAX_FAILURES = 5;
    static final Duration LOCK = Duration.ofMinutes(15);
    static final String ACTION = "POST /auth/login";

    private final JdbcUsers users;
    private final JdbcWorkspaces workspaces;
    private final Passwords passwords;
    private final SignInAudit audit;
    private final Clock clock;

    LocalSignIn(JdbcUsers users, JdbcWorkspaces workspaces, Passwords passwords, SignInAudit audit, Clock clock) {
        this.users = users;
        this.workspaces = workspaces;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    /** The signed-in user, or an {@link ApiProblem} (401 or 423). */
    JdbcUsers.User signIn(String workspace, String login, String password) {
        boolean workspaceOpen =
                workspaces.find(workspace).map(w -> w.archivedAt() == null).orElse(false);
        Optional<JdbcUsers.User> found = workspaceOpen ? users.findByLogin(workspace, login.strip()) : Optional.empty();
        if (found.isEmpty() || found.get().passwordHash() == null) {
            passwords.decoyCheck(password);
            audit.record(workspace, SignInAudit.attempted(login), ACTION, 401);
            throw failed();
        }
        JdbcUsers.User user = found.get();
        String actor = "user:" + user.id();
        Instant now = clock.instant();
        if (user.lockedUntil() != null && now.isBefore(user.lockedUntil())) {
            audit.record(workspace, actor, ACTION, 423);
            throw locked(user.lockedUntil());
        }
        // a lock that has run out starts the count afresh
        int failures = user.lockedUntil() != null ? 0 : user.failedAttempts();
        if (!passwords.matches(password, user.passwordHash())) {
            failures++;
            Instant lockedUntil = failures >= MAX_FAILURES ? now.plus(LOCK) : null;
            users.recordFailure(workspace, user.id(), lockedUntil != null ? 0 : failures, lockedUntil);
            audit.record(workspace, actor, ACTION, lockedUntil != null ? 423 : 401);
            throw lockedUntil != null ? locked(lockedUntil) : failed();
        }
        if (user.disabled()) {
            audit.record(workspace, actor, ACTION, 401);
            throw failed();
        }
        users.recordSuccess(workspace, user.id());
        audit.record(workspace, actor, ACTION, 200);
        return user;
    }

    static ApiProblem failed() {
        return new ApiProblem(
                HttpStatus.UNAUTHORIZED,
                "SIGN_IN_FAILED",
                "the workspace, login or password is not right, or the account may not sign in with a password");
    }

    private static ApiProblem locked(Instant until) {
        return new ApiProblem(
                HttpStatus.LOCKED,
                "ACCOUNT_LOCKED",
                "the account is locked after %d failed sign-ins until %s; try again then or ask an admin"
                        .formatted(MAX_FAILURES, until),
                Map.of("lockedUntil", until.toString()));
    }
}
