-- API keys: optional expiry, restriction to named flows (JSON list), revocation kept for the record,
-- who created them. Workspaces can be archived. The bootstrap key owns the default workspace.
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN flows TEXT;
ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_keys ADD COLUMN created_by VARCHAR(200);
ALTER TABLE workspaces ADD COLUMN archived_at BIGINT;
UPDATE api_keys SET role = 'owner' WHERE id = 'bootstrap-admin';
