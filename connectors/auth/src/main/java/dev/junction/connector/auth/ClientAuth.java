package dev.junction.connector.auth;

import java.util.Locale;

/** How a client proves itself to a token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuth {
    /** {@code Authorization: Basic base64(client_id:client_secret)}, the default. */
    BASIC,
    /** {@code client_id} and {@code client_secret} in the form body. */
    POST;

    /** {@code basic} (also for null) or {@code post}; anything else is refused. */
    public static ClientAuth parse(String text) {
        if (text == null || text.equalsIgnoreCase("basic")) {
            return BASIC;
        }
        if (text.equalsIgnoreCase("post")) {
            return POST;
        }
        throw new IllegalArgumentException("must be 'basic' or 'post', was '" + text + "'");
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
