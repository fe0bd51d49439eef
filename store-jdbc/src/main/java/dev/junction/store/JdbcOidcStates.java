package dev.junction.store;

import java.sql.PreparedStatement;
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
    private final SingleUseStates<Pending> states;

    public JdbcOidcStates(Database db) {
        this.db = db;
        this.states = new SingleUseStates<>(
                db,
                "oidc_pending",
                "state_hash, workspace_id, nonce, code_verifier, redirect_uri, expires_at",
                rs -> new Pending(
                        rs.getString("state_hash"),
                        rs.getString("workspace_id"),
                        rs.getString("nonce"),
                        rs.getString("code_verifier"),
                        rs.getString("redirect_uri"),
                        Sql.instant(rs, "expires_at")));
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

    /**
     * Removes and returns the pending entry for {@code stateHash} if it has not expired at {@code
     * now}; single use (see {@link SingleUseStates}).
     */
    public Optional<Pending> take(String stateHash, Instant now) {
        return states.take(stateHash, now);
    }

    /** Deletes the workspace's entries that expired before {@code now}; returns how many. */
    public int purgeExpired(String workspaceId, Instant now) {
        return states.purgeExpired(workspaceId, now);
    }
}
