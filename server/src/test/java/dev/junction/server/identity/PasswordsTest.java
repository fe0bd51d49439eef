package dev.junction.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords passwords = new Passwords();

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String stored = passwords.hash("correct horse battery");
        assertThat(stored).startsWith("pbkdf2-sha256$600000$");
        assertThat(passwords.matches("correct horse battery", stored)).isTrue();
        assertThat(passwords.matches("correct horse batterY", stored)).isFalse();
    }

    @Test
    void theDecoyIsAWellFormedHashThatNothingMatches() {
        assertThat(passwords.matches("", null)).isFalse();
        passwords.decoyCheck("decoy password that matches nothing");
        passwords.decoyCheck("");
        String other = new Passwords().hash("x".repeat(12));
        assertThat(other.split("\\$")).hasSize(4);
    }
}
