package dev.junction.connector.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.random.RandomGenerator;

/**
 * One authorization attempt's secrets (RFC 7636, method S256): the {@code state} that binds the
 * redirect to the attempt, and the {@code code_verifier}, which stays on the server; only its
 * SHA-256 {@code challenge} travels through the browser.
 */
public record Pkce(String state, String verifier, String challenge) {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A fresh attempt; {@code random} must be cryptographically strong (a {@code SecureRandom}). */
    public static Pkce create(RandomGenerator random) {
        String verifier = B64.encodeToString(bytes(random, 32)); // 43 characters, RFC 7636 §4.1
        return new Pkce(B64.encodeToString(bytes(random, 24)), verifier, challenge(verifier));
    }

    /** {@code BASE64URL(SHA-256(verifier))}. */
    public static String challenge(String verifier) {
        try {
            return B64.encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The provider's authorization URL for this attempt; {@code scope} may be null. */
    public String authorizeUrl(String authorizeUrl, String clientId, String redirectUri, String scope) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", redirectUri);
        if (scope != null) {
            q.put("scope", scope);
        }
        q.put("state", state);
        q.put("code_challenge", challenge);
        q.put("code_challenge_method", "S256");
        StringJoiner out = new StringJoiner("&");
        q.forEach((k, v) -> out.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return authorizeUrl + (authorizeUrl.contains("?") ? "&" : "?") + out;
    }

    private static byte[] bytes(RandomGenerator random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
