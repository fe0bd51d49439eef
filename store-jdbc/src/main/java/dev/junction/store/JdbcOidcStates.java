package dev.junction.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * Pending OpenID Connect sign-ins (table {@code oidc_pending}) by the SHA-256 of their state.
 * {@link #take} deletes the row it returns in the same transaction: a state is single use. In the
 * database so the provider's redirect may reach any node.
 */
public final class JdbcOidcStates {
    /** One pending sign-in: the nonce the ID token must carry and the PKCE verifier. */
    public record Pending(
            String stateHash,
            String workspaceId,
            String nonce,
            String codeVerifier,
            String redirectUri,
            Instant expiresAt) {}

    private final Database db;

    public JdbcOidcStates(Database db) {
        this.db = db;
    }

    public void insert(Pending p) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO oidc_pending (state_hash, workspace_id,"
                    + " nonce, code_verifier, redirect_uri, expires_at) VALUES (?,?,?,?,?,?)")) {
                Sql.bind(
                        ps,
                        p.stateHash(),
                        p.workspaceId(),
                        p.nonce(),
                        p.codeVerifier(),
                        p.redirectUri(),
                        p.expiresAt());
                return ps.executeUpdate();
            }
        });
    }

    /** Removes and returns the pending sign-in for {@code stateHash} if it has not expired at {@code now}. */
    public Optional<Pending> take(String stateHash, Instant now) {
        return db.write(c -> {
            Pending found = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT state_hash, workspace_id, nonce, code_verifier,"
                    + " redirect_uri, expires_at FROM oidc_pending WHERE state_hash = ?")) {
                Sql.bind(ps, stateHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found = new Pending(
                                rs.getString("state_hash"),
                                rs.getString("workspace_id"),
                                rs.getString("nonce"),
                                rs.getString("code_verifier"),
                                rs.getString("redirect_uri"),
                                Sql.instant(rs, "expires_at"));
                    }
                }
            }
            if (found == null) {
                return Optional.<Pending>empty();
            }
            try (PreparedStatement del =
                    c.prepareStatement("DELETE FROM oidc_pending WHERE workspace_id = ? AND state_hash = ?")) {
                Sql.bind(del, found.workspaceId(), stateHash);
                if (del.executeUpdate() != 1) {
                    return Optional.<Pending>empty(); // taken by a concurrent redirect
                }
            }
            return found.expiresAt().isAfter(now) ? Optional.of(found) : Optional.<Pending>empty();
        });
    }

    /** Deletes the workspace's sign-ins that expired before {@code now}; returns how many. */
    public int purgeExpired(String workspaceId, Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM oidc_pending WHERE workspace_id = ? AND expires_at <= ?")) {
                Sql.bind(ps, workspaceId, now);
                return ps.executeUpdate();
            }
        });
    }
}
