package dev.junction.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 (JDK built-in, no library to pin), 600,000 iterations
 * and a 16-byte random salt, as OWASP recommends for PBKDF2. A stored hash reads {@code
 * pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64), so the iteration count can be raised later
 * while old hashes still verify. Thread-safe.
 */
final class Passwords {
    static final int ITERATIONS = 600_000;
    static final int MIN_LENGTH = 12;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int KEY_BITS = 256;

    private final SecureRandom random = new SecureRandom();
    /**
     * Verified against when the login is unknown, so such an answer takes as long as a wrong
     * password: a well-formed hash of random bytes, which no password derives to. Hashing a decoy
     * password instead cost 0.4 s of every start.
     */
    private final String decoy;

    Passwords() {
        byte[] salt = new byte[16];
        byte[] nothing = new byte[KEY_BITS / 8];
        random.nextBytes(salt);
        random.nextBytes(nothing);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        this.decoy = SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(nothing);
    }

    String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} matches {@code stored}; a null or malformed hash matches nothing. */
    boolean matches(String password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            derive(password, new byte[16], ITERATIONS); // same cost as a real check
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the time of one check without any account, for unknown logins. */
    void decoyCheck(String password) {
        matches(password, decoy);
    }

    /** Why {@code password} is not acceptable as a new password, or null when it is. */
    static String weakness(Object password) {
        if (!(password instanceof String p) || p.isBlank()) {
            return "'password' is required: text of at least " + MIN_LENGTH + " characters";
        }
        if (p.length() < MIN_LENGTH) {
            return "'password' must have at least %d characters, it has %d".formatted(MIN_LENGTH, p.length());
        }
        if (p.getBytes(StandardCharsets.UTF_8).length > 1024) {
            return "'password' must be at most 1024 bytes";
        }
        return null;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
