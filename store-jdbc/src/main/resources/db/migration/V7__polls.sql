-- Poll triggers: where each poll-triggered flow's feed stands. source names what the cursor belongs
-- to (connection/operation/input); cursor is JSON; next_poll_at is when it polls next (epoch ms);
-- last_error is null after a successful poll; items counts what the feed has read.
CREATE TABLE polls (
    workspace_id   VARCHAR(64) NOT NULL,
    flow_id        VARCHAR(64) NOT NULL,
    source         TEXT        NOT NULL,
    cursor_value   TEXT,
    next_poll_at   BIGINT      NOT NULL,
    last_polled_at BIGINT,
    last_error     TEXT,
    items          BIGINT      NOT NULL,
    PRIMARY KEY (workspace_id, flow_id)
);
