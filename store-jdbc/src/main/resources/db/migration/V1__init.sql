-- Portable SQL: runs unchanged on SQLite and PostgreSQL. Times are epoch milliseconds; JSON is text.
-- Every table carries workspace_id, and every query filters on it.

CREATE TABLE workspaces (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  BIGINT       NOT NULL
);

INSERT INTO workspaces (id, name, created_at) VALUES ('default', 'Default', 0);

CREATE TABLE api_keys (
    workspace_id VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    key_hash     VARCHAR(128) NOT NULL UNIQUE,
    role         VARCHAR(32)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE flows (
    workspace_id   VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
    id             VARCHAR(64)  NOT NULL,
    name           VARCHAR(500) NOT NULL,
    latest_version INTEGER      NOT NULL,
    enabled        BOOLEAN      NOT NULL,
    trigger_type   VARCHAR(32)  NOT NULL,
    webhook_method VARCHAR(16),
    webhook_path   VARCHAR(500),
    created_at     BIGINT       NOT NULL,
    updated_at     BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- A route belongs to one enabled flow; disabled flows have their route columns cleared.
CREATE UNIQUE INDEX flows_webhook_route ON flows (workspace_id, webhook_method, webhook_path);
CREATE INDEX flows_trigger ON flows (trigger_type, enabled);

CREATE TABLE flow_versions (
    workspace_id VARCHAR(64)  NOT NULL,
    flow_id      VARCHAR(64)  NOT NULL,
    version      INTEGER      NOT NULL,
    name         VARCHAR(500) NOT NULL,
    source       TEXT         NOT NULL,
    format       VARCHAR(8)   NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, flow_id, version),
    FOREIGN KEY (workspace_id, flow_id) REFERENCES flows (workspace_id, id)
);

CREATE TABLE runs (
    workspace_id    VARCHAR(64)  NOT NULL REFERENCES workspaces (id),
    id              VARCHAR(64)  NOT NULL,
    flow_id         VARCHAR(64)  NOT NULL,
    flow_version    INTEGER      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    trigger_type    VARCHAR(32)  NOT NULL,
    trigger_event   TEXT,
    idempotency_key VARCHAR(500),
    output          TEXT,
    error_code      VARCHAR(100),
    error_message   TEXT,
    error_step      VARCHAR(64),
    created_at      BIGINT       NOT NULL,
    started_at      BIGINT,
    ended_at        BIGINT,
    PRIMARY KEY (workspace_id, id)
);

CREATE UNIQUE INDEX runs_idempotency ON runs (workspace_id, flow_id, idempotency_key);
CREATE INDEX runs_by_flow ON runs (workspace_id, flow_id, id);
CREATE INDEX runs_by_status ON runs (workspace_id, status, id);
CREATE INDEX runs_unfinished ON runs (status);

CREATE TABLE step_attempts (
    workspace_id  VARCHAR(64)  NOT NULL,
    run_id        VARCHAR(64)  NOT NULL,
    seq           INTEGER      NOT NULL,
    step_id       VARCHAR(64)  NOT NULL,
    path          VARCHAR(1000) NOT NULL,
    step_type     VARCHAR(32)  NOT NULL,
    attempt       INTEGER      NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    input         TEXT,
    output        TEXT,
    error_code    VARCHAR(100),
    error_message TEXT,
    started_at    BIGINT       NOT NULL,
    ended_at      BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, run_id, seq)
);
