package dev.junction.connector.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * What a token endpoint granted: an access token, an optional refresh token, when the access token
 * expires ({@code null} when the provider did not say) and when to renew it, a little before.
 */
public record Tokens(String accessToken, String refreshToken, Instant expiresAt, Instant renewAt) {
    /** How long before expiry a token is renewed, at most; short-lived tokens renew at half-life. */
    public static final Duration MARGIN = Duration.ofSeconds(60);

    public Tokens {
        if (accessToken == null || accessToken.isEmpty()) {
            throw new IllegalArgumentException("an access token is required");
        }
    }

    /** Tokens granted at {@code now} for {@code expiresIn} (null when unknown). */
    public static Tokens granted(String accessToken, String refreshToken, Duration expiresIn, Instant now) {
        if (expiresIn == null) {
            return new Tokens(accessToken, refreshToken, null, null);
        }
        Duration margin = expiresIn.dividedBy(2).compareTo(MARGIN) < 0 ? expiresIn.dividedBy(2) : MARGIN;
        return new Tokens(
                accessToken,
                refreshToken,
                now.plus(expiresIn),
                now.plus(expiresIn).minus(margin));
    }

    /** True while the access token may be used without renewing it. */
    public boolean usableAt(Instant now) {
        return renewAt == null || now.isBefore(renewAt);
    }

    /** The same tokens, due for renewal now (after a 401). */
    Tokens dueNow(Instant now) {
        return new Tokens(accessToken, refreshToken, expiresAt, now);
    }
}
