package dev.junction.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production ID token validator against tokens signed here with a local RSA key whose JWKS it
 * is given: the checks the live provider cannot be made to fail (foreign key, issuer, algorithm
 * {@code none} or HMAC, several audiences without {@code azp}) and the clock's leeway.
 */
class IdTokenValidatorTest {
    private static final String ISSUER = "https://idp.example.com/realm";
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static RSAKey key;
    private static RSAKey stranger;
    private static IdTokenValidator validator;

    @BeforeAll
    static void keys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("k1").generate(); // same kid, other key
        validator = new IdTokenValidator(
                ISSUER,
                "junction-web",
                new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK())),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String token(RSAKey signer, UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("alice")
                .audience("junction-web")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(300)))
                .claim("nonce", "n-1");
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(signer.getKeyID())
                        .build(),
                change.apply(claims).build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private static IdTokenValidator.Check refusal(String token) {
        try {
            validator.validate(token, "n-1");
        } catch (IdTokenValidator.Rejected e) {
            return e.check();
        }
        throw new AssertionError("the token was accepted");
    }

    @Test
    void acceptsAWellFormedToken() throws Exception {
        assertThat(validator.validate(token(key, b -> b), "n-1").getSubject()).isEqualTo("alice");
    }

    @Test
    void rejectsASignatureByAnotherKey() throws Exception {
        assertThat(refusal(token(stranger, b -> b))).isEqualTo(IdTokenValidator.Check.SIGNATURE);
    }

    @Test
    void rejectsUnsignedAndHmacTokens() throws Exception {
        String plain = new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER).build()).serialize();
        assertThat(refusal(plain)).isEqualTo(IdTokenValidator.Check.FORMAT);
        SignedJWT hmac = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .issuer(ISSUER)
                        .audience("junction-web")
                        .build());
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(refusal(hmac.serialize())).isEqualTo(IdTokenValidator.Check.SIGNATURE);
    }

    @Test
    void rejectsAnotherIssuerAudienceOrNonce() throws Exception {
        assertThat(refusal(token(key, b -> b.issuer("https://evil.example.com"))))
                .isEqualTo(IdTokenValidator.Check.ISSUER);
        assertThat(refusal(token(key, b -> b.audience("other")))).isEqualTo(IdTokenValidator.Check.AUDIENCE);
        assertThat(refusal(token(key, b -> b.audience(List.of("junction-web", "other")))))
                .isEqualTo(IdTokenValidator.Check.AUDIENCE);
        assertThat(validator
                        .validate(
                                token(key, b -> b.audience(List.of("junction-web", "other"))
                                        .claim("azp", "junction-web")),
                                "n-1")
                        .getSubject())
                .isEqualTo("alice");
        assertThat(refusal(token(key, b -> b.claim("nonce", "n-2")))).isEqualTo(IdTokenValidator.Check.NONCE);
        assertThat(refusal(token(key, b -> b.claim("nonce", null)))).isEqualTo(IdTokenValidator.Check.NONCE);
    }

    @Test
    void expiryAllowsSixtySecondsOfLeewayAndNoMore() throws Exception {
        assertThat(validator
                        .validate(token(key, b -> b.expirationTime(Date.from(NOW.minusSeconds(59)))), "n-1")
                        .getSubject())
                .isEqualTo("alice");
        assertThat(refusal(token(key, b -> b.expirationTime(Date.from(NOW.minusSeconds(61))))))
                .isEqualTo(IdTokenValidator.Check.EXPIRED);
        assertThat(refusal(token(key, b -> b.expirationTime(null)))).isEqualTo(IdTokenValidator.Check.EXPIRED);
        assertThatThrownBy(() ->
                        validator.validate(token(key, b -> b.expirationTime(Date.from(NOW.minusSeconds(61)))), "n-1"))
                .hasMessageContaining("expired at 2026-12-02T11:58:59Z");
    }
}
