-- Durable work: leases, due times, timers, concurrency admission, replays, schedules, duties, retention.
-- Portable SQL (SQLite and PostgreSQL).

ALTER TABLE runs ADD COLUMN due_at BIGINT;
ALTER TABLE runs ADD COLUMN lease_owner VARCHAR(200);
ALTER TABLE runs ADD COLUMN lease_until BIGINT;
ALTER TABLE runs ADD COLUMN concurrency_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN replay_of VARCHAR(64);
ALTER TABLE runs ADD COLUMN replayed_by VARCHAR(64);

-- Runs left unfinished by version 1 become due now and are claimed at start-up.
UPDATE runs SET due_at = created_at WHERE status IN ('QUEUED', 'RUNNING', 'WAITING');

DROP INDEX runs_unfinished;
-- due_at is set exactly while a run is unfinished: this index is the work queue.
CREATE INDEX runs_due ON runs (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX runs_leased ON runs (lease_owner) WHERE lease_owner IS NOT NULL;
CREATE INDEX runs_active_by_flow ON runs (workspace_id, flow_id, status) WHERE due_at IS NOT NULL;
CREATE INDEX runs_ended ON runs (workspace_id, ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX runs_dead ON runs (workspace_id, id) WHERE status = 'FAILED' AND replayed_by IS NULL;

CREATE TABLE run_timers (
    workspace_id VARCHAR(64)   NOT NULL,
    run_id       VARCHAR(64)   NOT NULL,
    timer_key    VARCHAR(1000) NOT NULL,
    due_at       BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, run_id, timer_key)
);

CREATE TABLE schedules (
    workspace_id VARCHAR(64) NOT NULL,
    flow_id      VARCHAR(64) NOT NULL,
    version      INTEGER     NOT NULL,
    next_fire_at BIGINT      NOT NULL,
    PRIMARY KEY (workspace_id, flow_id)
);

CREATE TABLE duties (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    owner       VARCHAR(200) NOT NULL,
    lease_until BIGINT       NOT NULL
);

ALTER TABLE workspaces ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 30;
