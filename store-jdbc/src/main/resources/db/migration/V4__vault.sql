-- Envelope encryption: each workspace has a data key, stored wrapped (AES-256-GCM) by the master
-- key named by master_key_id; secrets are encrypted by the data key. Rotating the master key
-- re-wraps data_keys rows only.
CREATE TABLE data_keys (
    workspace_id  VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
    id            VARCHAR(64)  NOT NULL,
    master_key_id VARCHAR(32)  NOT NULL,
    wrapped       TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- owner is 'workspace' for secrets.<name>, or 'connection:<id>' for a connection's credentials.
CREATE TABLE secrets (
    workspace_id VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
    owner        VARCHAR(200) NOT NULL,
    name         VARCHAR(200) NOT NULL,
    data_key_id  VARCHAR(64)  NOT NULL,
    ciphertext   TEXT         NOT NULL,
    updated_at   BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, owner, name)
);
