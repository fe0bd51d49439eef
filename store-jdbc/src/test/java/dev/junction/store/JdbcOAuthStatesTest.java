package dev.junction.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Pending OAuth authorizations on SQLite and PostgreSQL: single use, expiry, purge. */
class JdbcOAuthStatesTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    static Stream<Database> backends() throws Exception {
        return Stream.of(Backends.sqlite(), Backends.postgres());
    }

    private static JdbcOAuthStates.Pending pending(String connection, Instant expires) {
        return new JdbcOAuthStates.Pending(
                UUID.randomUUID().toString().replace("-", ""),
                "default",
                connection,
                "verifier-" + connection,
                "http://localhost:8080/oauth/callback",
                expires,
                "/ui/connections/" + connection + "/configure/test");
    }

    @ParameterizedTest(autoCloseArguments = false) // the databases are shared by the whole test JVM
    @MethodSource("backends")
    void aStateIsTakenOnceAndOnlyBeforeItExpires(Database db) {
        JdbcOAuthStates states = new JdbcOAuthStates(db);
        var live = pending("crm", NOW.plus(Duration.ofMinutes(10)));
        var old = pending("erp", NOW.minusSeconds(1));
        states.insert(live);
        states.insert(old);

        assertThat(states.take(live.stateHash(), NOW)).contains(live);
        assertThat(states.take(live.stateHash(), NOW)).isEmpty();
        assertThat(states.take(old.stateHash(), NOW)).isEmpty(); // expired, and gone now
        assertThat(states.take("unknown", NOW)).isEmpty();
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("backends")
    void expiredAndDeletedConnectionsAttemptsArePurged(Database db) {
        JdbcOAuthStates states = new JdbcOAuthStates(db);
        var expired = pending("a", NOW.minusSeconds(5));
        var fresh = pending("b", NOW.plusSeconds(300));
        var other = pending("c", NOW.plusSeconds(300));
        states.insert(expired);
        states.insert(fresh);
        states.insert(other);

        assertThat(states.purgeExpired("default", NOW)).isGreaterThanOrEqualTo(1);
        assertThat(states.deleteConnection("default", "c")).isGreaterThanOrEqualTo(1);

        assertThat(states.take(expired.stateHash(), NOW.minusSeconds(60))).isEmpty();
        assertThat(states.take(other.stateHash(), NOW)).isEmpty();
        assertThat(states.take(fresh.stateHash(), NOW)).contains(fresh);
    }
}
