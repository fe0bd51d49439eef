-- The audit log: one hash chain per workspace. hash = SHA-256 over the previous record's hash and
-- this record's fields (see AuditChain); a changed, deleted or inserted row breaks the chain.
CREATE TABLE audit_log (
    workspace_id  VARCHAR(64)  NOT NULL,
    seq           BIGINT       NOT NULL,
    at            BIGINT       NOT NULL,
    actor         VARCHAR(200) NOT NULL,
    action        VARCHAR(300) NOT NULL,
    target        TEXT         NOT NULL,
    status        INTEGER      NOT NULL,
    before_digest VARCHAR(80),
    after_digest  VARCHAR(80),
    prev_hash     VARCHAR(64)  NOT NULL,
    hash          VARCHAR(64)  NOT NULL,
    PRIMARY KEY (workspace_id, seq)
);
CREATE INDEX audit_log_at ON audit_log (workspace_id, at);
