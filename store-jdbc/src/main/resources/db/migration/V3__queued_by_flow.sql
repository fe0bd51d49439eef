-- The next queued run of a flow, oldest first, without sorting the flow's whole queue
-- (WorkQueue.claimNext, used when one of a concurrency-limited flow's runs finishes).
CREATE INDEX runs_queued_by_flow ON runs (workspace_id, flow_id, due_at, id) WHERE status = 'QUEUED';
