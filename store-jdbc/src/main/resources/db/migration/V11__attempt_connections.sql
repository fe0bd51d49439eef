-- Per-connection activity for the dashboard: the connection a step attempt called (the step's
-- `connection:`), null for steps without one and for attempts written before this version.
-- Portable SQL (SQLite and PostgreSQL).
ALTER TABLE step_attempts ADD COLUMN connection_id VARCHAR(64);
CREATE INDEX step_attempts_by_connection ON step_attempts (workspace_id, connection_id, started_at)
    WHERE connection_id IS NOT NULL;

-- The dashboard's hourly figures and top errors read the runs of the last 24 hours.
CREATE INDEX runs_created ON runs (workspace_id, created_at);
