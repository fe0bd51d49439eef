package dev.junction.connector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PkceTest {
    @Test
    void challengeIsTheRfc7636ExampleForItsVerifier() {
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void eachAttemptHasItsOwnStateAndVerifierAndTheUrlCarriesOnlyTheChallenge() {
        SecureRandom random = new SecureRandom();
        Pkce a = Pkce.create(random);
        Pkce b = Pkce.create(random);

        assertThat(a.state()).isNotEqualTo(b.state());
        assertThat(a.verifier()).hasSize(43).isNotEqualTo(b.verifier());
        String url = a.authorizeUrl("https://id.example/authorize?tenant=x", "app", "http://h/oauth/callback", "a b");
        assertThat(url)
                .startsWith("https://id.example/authorize?tenant=x&response_type=code&client_id=app")
                .contains("redirect_uri=http%3A%2F%2Fh%2Foauth%2Fcallback", "scope=a+b", "state=" + a.state())
                .contains("code_challenge=" + a.challenge(), "code_challenge_method=S256")
                .doesNotContain(a.verifier());
    }
}
