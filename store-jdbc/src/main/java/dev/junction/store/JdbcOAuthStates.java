package dev.junction.store;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Optional;

/**
 * Pending OAuth 2.0 authorizations (table {@code oauth_pending}), looked up by the SHA-256 of their
 * state. A state is single use: {@link #take} deletes the row it returns, in the same transaction,
 * so two redirects with one state cannot both succeed. Kept in the database rather than in memory
 * so the provider's redirect may reach any node, and survives a restart.
 */
public final class JdbcOAuthStates {
    private final Database db;
    private final SingleUseStates<Pending> states;

    public JdbcOAuthStates(Database db) {
        this.db = db;
        this.states = new SingleUseStates<>(
                db,
                "oauth_pending",
                "state_hash, workspace_id, connection_id, code_verifier, redirect_uri, expires_at, return_to",
                rs -> new Pending(
                        rs.getString("state_hash"),
                        rs.getString("workspace_id"),
                        rs.getString("connection_id"),
                        rs.getString("code_verifier"),
                        rs.getString("redirect_uri"),
                        Sql.instant(rs, "expires_at"),
                        rs.getString("return_to")));
    }

    /**
     * One pending authorization of a connection; {@code returnTo} is the web UI page the browser
     * goes back to after the provider's redirect (null: the callback answers JSON).
     */
    public record Pending(
            String stateHash,
            String workspaceId,
            String connectionId,
            String codeVerifier,
            String redirectUri,
            Instant expiresAt,
            String returnTo) {}

    public void insert(Pending p) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO oauth_pending (state_hash, workspace_id,"
                    + " connection_id, code_verifier, redirect_uri, expires_at, return_to) VALUES (?,?,?,?,?,?,?)")) {
                Sql.bind(
                        ps,
                        p.stateHash(),
                        p.workspaceId(),
                        p.connectionId(),
                        p.codeVerifier(),
                        p.redirectUri(),
                        p.expiresAt(),
                        p.returnTo());
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

    /** Deletes a connection's pending attempts (when it is deleted). */
    public int deleteConnection(String workspaceId, String connectionId) {
        return db.write(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("DELETE FROM oauth_pending WHERE workspace_id = ? AND connection_id = ?")) {
                Sql.bind(ps, workspaceId, connectionId);
                return ps.executeUpdate();
            }
        });
    }
}
