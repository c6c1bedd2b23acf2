-- 0004: security. The audit log (who changed what, when) and an index so an
-- application's portal tokens can be expired together. Never edit once shipped.

CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  at BIGINT NOT NULL,
  -- the API key that made the change; null only for changes made by the server itself
  key_id TEXT,
  method TEXT NOT NULL,
  -- the route pattern (e.g. /api/v1/app/:app_id/endpoint/:endpoint_id) and the path as called
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  app_id TEXT,
  entity_id TEXT,
  -- JSON object of the route's path parameters
  params TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_key ON audit_log (key_id, id);
CREATE INDEX audit_log_app ON audit_log (app_id, id);

CREATE INDEX api_keys_name ON api_keys (name);
