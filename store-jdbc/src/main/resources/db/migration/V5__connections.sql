-- A connection: how Junction reaches one real system. config and auth hold the non-secret fields
-- (JSON); secret fields live in the vault (secrets, owner 'connection:<id>'). status is draft,
-- active, needs_reauth or disabled; last_test is the last "test connection" result (JSON).
CREATE TABLE connections (
    workspace_id  VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
    id            VARCHAR(64)  NOT NULL,
    name          VARCHAR(200) NOT NULL,
    connector     VARCHAR(64)  NOT NULL,
    config        TEXT         NOT NULL,
    auth          TEXT         NOT NULL,
    limits        TEXT         NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    status_reason TEXT,
    version       INTEGER      NOT NULL,
    last_test     TEXT,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
