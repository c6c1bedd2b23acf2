-- 0003: operations. Failure streaks, background tasks, payload retention.
-- Times are integer milliseconds since the epoch.

-- The failure streak of an endpoint, kept in the database so every node sees
-- the same streak: `failing_since` is set when a message first exhausts its
-- retries and cleared by the next success.
ALTER TABLE endpoints ADD COLUMN failing_since BIGINT;
ALTER TABLE endpoints ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN consecutive_exhausted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN last_success_at BIGINT;
ALTER TABLE endpoints ADD COLUMN last_failure_at BIGINT;
CREATE INDEX endpoints_failing ON endpoints (failing_since) WHERE failing_since IS NOT NULL;

-- Per-message payload retention (payloadRetentionPeriod); NULL means the default.
ALTER TABLE messages ADD COLUMN expires_at BIGINT;
CREATE INDEX messages_expiry ON messages (expires_at) WHERE expires_at IS NOT NULL AND payload IS NOT NULL;

-- Delivery ids sort by creation time: stats windows seek on these.
CREATE INDEX deliveries_app_id ON deliveries (app_id, id);
CREATE INDEX deliveries_endpoint_id ON deliveries (endpoint_id, id);

-- Background tasks (recover, replay-missing). `owner` is the node running it and
-- `heartbeat_at` its last sign of life; a task whose heartbeat is stale is adopted
-- by another node and resumed from `cursor`.
CREATE TABLE background_tasks (
  id TEXT COLLATE "C" PRIMARY KEY,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  app_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  total INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  cursor TEXT,
  error TEXT,
  owner TEXT,
  heartbeat_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX background_tasks_running ON background_tasks (heartbeat_at) WHERE status = 'running';
