-- The web UI page the browser goes back to after an authorization the web UI started (a path
-- under /ui/, checked when the attempt starts and again when the redirect arrives); NULL when the
-- API started it, whose callback answers JSON.
ALTER TABLE oauth_pending ADD COLUMN return_to TEXT;
