-- People who sign in: local accounts (password_hash, PBKDF2) or single sign-on users (sso_issuer +
-- sso_subject, no password). A user belongs to exactly one workspace; the same login may exist in
-- two workspaces as two users. preferences is a JSON object (locale, time zone, theme, ...).
CREATE TABLE users (
    workspace_id    VARCHAR(64)  NOT NULL,
    id              VARCHAR(64)  NOT NULL,
    login           VARCHAR(200) NOT NULL,
    display_name    VARCHAR(200) NOT NULL,
    password_hash   VARCHAR(300),
    role            VARCHAR(20)  NOT NULL,
    failed_attempts INTEGER      NOT NULL DEFAULT 0,
    locked_until    BIGINT,
    disabled        INTEGER      NOT NULL DEFAULT 0,
    sso_issuer      VARCHAR(500),
    sso_subject     VARCHAR(255),
    preferences     TEXT         NOT NULL,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX users_login ON users (workspace_id, login);
CREATE UNIQUE INDEX users_sso ON users (workspace_id, sso_issuer, sso_subject);

-- Browser sessions. id is the SHA-256 of the cookie's random token, csrf_hash the SHA-256 of the
-- CSRF token: a copy of the database lets no one act as a signed-in user.
CREATE TABLE sessions (
    id           VARCHAR(64) NOT NULL PRIMARY KEY,
    workspace_id VARCHAR(64) NOT NULL,
    user_id      VARCHAR(64) NOT NULL,
    csrf_hash    VARCHAR(64) NOT NULL,
    created_at   BIGINT      NOT NULL,
    expires_at   BIGINT      NOT NULL,
    last_seen_at BIGINT      NOT NULL
);
CREATE INDEX sessions_user ON sessions (workspace_id, user_id);

-- Pending OpenID Connect sign-ins, by the SHA-256 of their state: single use, short-lived, in the
-- database so the provider's redirect may reach any node.
CREATE TABLE oidc_pending (
    state_hash    VARCHAR(64)  NOT NULL PRIMARY KEY,
    workspace_id  VARCHAR(64)  NOT NULL,
    nonce         VARCHAR(100) NOT NULL,
    code_verifier VARCHAR(200) NOT NULL,
    redirect_uri  TEXT         NOT NULL,
    expires_at    BIGINT       NOT NULL
);
