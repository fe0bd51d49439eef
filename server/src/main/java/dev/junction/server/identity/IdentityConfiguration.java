package dev.junction.server.identity;

import dev.junction.store.Database;
import dev.junction.store.JdbcOidcStates;
import dev.junction.store.JdbcSessions;
import dev.junction.store.JdbcUsers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires users, sessions and single sign-on to their stores. */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {
    @Bean
    JdbcUsers jdbcUsers(Database db) {
        return new JdbcUsers(db);
    }

    @Bean
    JdbcSessions jdbcSessions(Database db) {
        return new JdbcSessions(db);
    }

    @Bean
    JdbcOidcStates jdbcOidcStates(Database db) {
        return new JdbcOidcStates(db);
    }

    @Bean
    Passwords passwords() {
        return new Passwords();
    }

    @Bean
    OidcSettings oidcSettings(Environment env) {
        return OidcSettings.from(env);
    }

    @Bean
    SignInOptions signInOptions(OidcSettings oidc) {
        return new SignInOptions(oidc.enabled());
    }
}
