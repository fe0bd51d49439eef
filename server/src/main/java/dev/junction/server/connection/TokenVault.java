package dev.junction.server.connection;

import dev.junction.connector.auth.Tokens;
import dev.junction.store.vault.Vault;
import java.time.Instant;
import java.util.Map;

/**
 * The tokens of an {@code oauth2AuthorizationCode} connection in the vault, next to its other
 * secrets (owner {@code connection:<id>}): {@code oauth.accessToken}, {@code oauth.refreshToken},
 * {@code oauth.expiresAt}, {@code oauth.renewAt}.
 */
final class TokenVault {
    static final String PREFIX = "oauth.";
    private static final String ACCESS = PREFIX + "accessToken";
    private static final String REFRESH = PREFIX + "refreshToken";
    private static final String EXPIRES = PREFIX + "expiresAt";
    private static final String RENEW = PREFIX + "renewAt";

    private TokenVault() {}

    /** The stored tokens, or null when the connection was never authorized. */
    static Tokens read(Map<String, String> stored) {
        String access = stored.get(ACCESS);
        if (access == null) {
            return null;
        }
        return new Tokens(access, stored.get(REFRESH), instant(stored.get(EXPIRES)), instant(stored.get(RENEW)));
    }

    static void write(Vault vault, String ws, String connectionId, Tokens tokens) {
        String owner = ConnectionService.owner(connectionId);
        vault.put(ws, owner, ACCESS, tokens.accessToken());
        put(vault, ws, owner, REFRESH, tokens.refreshToken());
        put(
                vault,
                ws,
                owner,
                EXPIRES,
                tokens.expiresAt() == null ? null : tokens.expiresAt().toString());
        put(
                vault,
                ws,
                owner,
                RENEW,
                tokens.renewAt() == null ? null : tokens.renewAt().toString());
    }

    private static void put(Vault vault, String ws, String owner, String key, String value) {
        if (value == null) {
            vault.delete(ws, owner, key);
        } else {
            vault.put(ws, owner, key, value);
        }
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
