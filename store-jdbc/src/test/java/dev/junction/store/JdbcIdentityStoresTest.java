package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Users, sessions and pending OIDC sign-ins on SQLite and PostgreSQL (V10). */
class JdbcIdentityStoresTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    static Stream<Database> backends() throws Exception {
        return Stream.of(Backends.sqlite(), Backends.postgres());
    }

    private static String workspace() {
        return "ws-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JdbcUsers.User local(String ws, String id, String login) {
        return new JdbcUsers.User(
                ws, id, login, login, "pbkdf2-sha256$1$x$y", "editor", 0, null, false, null, null, Map.of(), NOW, NOW);
    }

    private static JdbcUsers.User sso(String ws, String id, String login, String subject) {
        return new JdbcUsers.User(
                ws, id, login, login, null, "viewer", 0, null, false, "https://idp", subject, Map.of(), NOW, NOW);
    }

    @ParameterizedTest(autoCloseArguments = false) // the databases are shared by the whole test JVM
    @MethodSource("backends")
    void usersAreUniqueByLoginAndSsoSubjectWithinAWorkspaceOnly(Database db) {
        JdbcUsers users = new JdbcUsers(db);
        String ws = workspace();
        String other = workspace();
        assertThat(users.insert(local(ws, "u-1", "ada"))).isTrue();
        assertThat(users.insert(local(ws, "u-2", "ada"))).as("same login").isFalse();
        assertThat(users.insert(local(other, "u-1", "ada")))
                .as("another workspace")
                .isTrue();
        assertThat(users.insert(sso(ws, "u-3", "alice", "sub-1"))).isTrue();
        assertThat(users.insert(sso(ws, "u-4", "alice2", "sub-1")))
                .as("same SSO subject")
                .isFalse();
        assertThat(users.insert(local(ws, "u-5", "grace")))
                .as("two local users, both without SSO")
                .isTrue();

        assertThat(users.findBySso(ws, "https://idp", "sub-1"))
                .map(JdbcUsers.User::id)
                .contains("u-3");
        assertThat(users.findBySso(other, "https://idp", "sub-1")).isEmpty();
        assertThat(users.findByLogin(ws, "ada").orElseThrow().passwordHash()).startsWith("pbkdf2");
        assertThat(users.list(ws)).extracting(JdbcUsers.User::login).containsExactly("ada", "alice", "grace");
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("backends")
    void updatesKeepFailuresAndFailuresKeepProfiles(Database db) {
        JdbcUsers users = new JdbcUsers(db);
        String ws = workspace();
        users.insert(local(ws, "u-1", "ada"));
        users.recordFailure(ws, "u-1", 5, NOW.plusSeconds(900));
        JdbcUsers.User u = users.find(ws, "u-1").orElseThrow();
        assertThat(u.failedAttempts()).isEqualTo(5);
        assertThat(u.lockedUntil()).isEqualTo(NOW.plusSeconds(900));

        users.update(new JdbcUsers.User(
                ws,
                "u-1",
                "ada",
                "Ada L.",
                u.passwordHash(),
                "admin",
                0,
                null,
                true,
                null,
                null,
                Map.of("theme", "dark", "dashboardLayout", Map.of("widgets", List.of("runs"))),
                u.createdAt(),
                NOW));
        JdbcUsers.User changed = users.find(ws, "u-1").orElseThrow();
        assertThat(changed.displayName()).isEqualTo("Ada L.");
        assertThat(changed.role()).isEqualTo("admin");
        assertThat(changed.disabled()).isTrue();
        assertThat(changed.preferences()).containsEntry("theme", "dark");
        assertThat(changed.failedAttempts())
                .as("an update does not reset failures")
                .isEqualTo(5);
        users.recordSuccess(ws, "u-1");
        assertThat(users.find(ws, "u-1").orElseThrow().lockedUntil()).isNull();
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("backends")
    void sessionsEndWithTheirUserAndArePurgedWhenExpired(Database db) {
        JdbcUsers users = new JdbcUsers(db);
        JdbcSessions sessions = new JdbcSessions(db);
        String ws = workspace();
        users.insert(local(ws, "u-1", "ada"));
        users.insert(local(ws, "u-2", "grace"));
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String old = UUID.randomUUID().toString();
        sessions.insert(new JdbcSessions.Session(a, ws, "u-1", "csrf-a", NOW, NOW.plusSeconds(3600), NOW));
        sessions.insert(new JdbcSessions.Session(b, ws, "u-2", "csrf-b", NOW, NOW.plusSeconds(3600), NOW));
        sessions.insert(new JdbcSessions.Session(old, ws, "u-2", "csrf-o", NOW, NOW.minusSeconds(1), NOW));

        sessions.touch(ws, a, NOW.plusSeconds(120));
        assertThat(sessions.find(a).orElseThrow().lastSeenAt()).isEqualTo(NOW.plusSeconds(120));
        assertThat(sessions.purgeExpired(ws, NOW)).isEqualTo(1);
        assertThat(sessions.find(old)).isEmpty();
        assertThat(users.delete(ws, "u-1")).isTrue();
        assertThat(sessions.find(a)).as("deleting a user ends their sessions").isEmpty();
        assertThat(sessions.deleteForUser(ws, "u-2")).isEqualTo(1);
        assertThat(sessions.find(b)).isEmpty();
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("backends")
    void anOidcStateIsTakenOnceAndOnlyBeforeItExpires(Database db) {
        JdbcOidcStates states = new JdbcOidcStates(db);
        String ws = workspace();
        var live = new JdbcOidcStates.Pending(
                UUID.randomUUID().toString(), ws, "n", "v", "http://x/cb", NOW.plusSeconds(600));
        var expired = new JdbcOidcStates.Pending(
                UUID.randomUUID().toString(), ws, "n", "v", "http://x/cb", NOW.minusSeconds(1));
        states.insert(live);
        states.insert(expired);
        assertThat(states.take(live.stateHash(), NOW)).contains(live);
        assertThat(states.take(live.stateHash(), NOW)).isEmpty();
        assertThat(states.take(expired.stateHash(), NOW)).isEmpty();
    }
}
