-- Pending OAuth 2.0 authorization-code attempts: one row per POST .../oauth/authorize, deleted when
-- its redirect arrives (single use) or after it expires (about 10 minutes). state_hash is the
-- SHA-256 of the state sent through the browser, so the table alone cannot answer a redirect;
-- code_verifier (PKCE) never leaves the server and is useless without the authorization code.
CREATE TABLE oauth_pending (
    state_hash    VARCHAR(64)  NOT NULL PRIMARY KEY,
    workspace_id  VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
    connection_id VARCHAR(64)  NOT NULL,
    code_verifier VARCHAR(128) NOT NULL,
    redirect_uri  TEXT         NOT NULL,
    expires_at    BIGINT       NOT NULL
);
CREATE INDEX oauth_pending_expiry ON oauth_pending (workspace_id, expires_at);
