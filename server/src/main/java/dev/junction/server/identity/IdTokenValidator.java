package dev.junction.server.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Validates an OpenID Connect ID token (Core 1.0 §3.1.3.7): a JWS signed with an asymmetric
 * algorithm by a key of the provider's JWKS (Nimbus), {@code iss} equal to the configured issuer,
 * {@code aud} containing the client id (and {@code azp} equal to it when there are several
 * audiences), {@code exp} in the future by the injected clock (with {@link #SKEW}), and {@code
 * nonce} equal to the one sent with the authorization request. Thread-safe.
 */
final class IdTokenValidator {
    static final Duration SKEW = Duration.ofSeconds(60);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384);

    /** Which check refused a token, for the answer and the audit log. */
    enum Check {
        FORMAT,
        SIGNATURE,
        ISSUER,
        AUDIENCE,
        EXPIRED,
        NONCE,
        SUBJECT
    }

    /** A refused ID token: which check failed and why. */
    static final class Rejected extends Exception {
        private final Check check;

        Rejected(Check check, String message, Throwable cause) {
            super(message, cause);
            this.check = check;
        }

        Check check() {
            return check;
        }
    }

    private final String issuer;
    private final String clientId;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Clock clock;

    IdTokenValidator(String issuer, String clientId, JWKSource<SecurityContext> keys, Clock clock) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clock = clock;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(null); // the claims are checked below, against the injected clock
    }

    JWTClaimsSet validate(String idToken, String expectedNonce) throws Rejected {
        JWTClaimsSet claims;
        try {
            claims = processor.process(SignedJWT.parse(idToken), null);
        } catch (ParseException e) {
            throw new Rejected(Check.FORMAT, "the ID token is not a signed JWT: " + e.getMessage(), e);
        } catch (BadJOSEException | JOSEException e) {
            throw new Rejected(
                    Check.SIGNATURE,
                    "the ID token's signature does not verify with the provider's published keys: " + e.getMessage(),
                    e);
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new Rejected(
                    Check.ISSUER,
                    "the ID token's issuer is '%s', expected '%s'".formatted(claims.getIssuer(), issuer),
                    null);
        }
        List<String> audience = claims.getAudience();
        Object azp = claims.getClaim("azp");
        if (!audience.contains(clientId) || (audience.size() > 1 && !clientId.equals(azp))) {
            throw new Rejected(
                    Check.AUDIENCE,
                    "the ID token is for audience %s (azp %s), expected client id '%s'"
                            .formatted(audience, azp, clientId),
                    null);
        }
        Date exp = claims.getExpirationTime();
        Instant now = clock.instant();
        if (exp == null || !now.isBefore(exp.toInstant().plus(SKEW))) {
            throw new Rejected(
                    Check.EXPIRED,
                    "the ID token expired at %s (now %s, %ds leeway)"
                            .formatted(exp == null ? "(no exp)" : exp.toInstant(), now, SKEW.toSeconds()),
                    null);
        }
        Object nonce = claims.getClaim("nonce");
        if (!(nonce instanceof String n)
                || !MessageDigest.isEqual(
                        n.getBytes(StandardCharsets.UTF_8), expectedNonce.getBytes(StandardCharsets.UTF_8))) {
            throw new Rejected(
                    Check.NONCE,
                    "the ID token's nonce does not match the one this sign-in sent; it may be replayed",
                    null);
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new Rejected(Check.SUBJECT, "the ID token has no subject ('sub')", null);
        }
        return claims;
    }
}
