-- 0001: the outbound core. Times are integer milliseconds since the epoch.
-- JSON columns hold JSON text. Never edit a migration that has shipped: add a new one.

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  expires_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE applications (
  id TEXT PRIMARY KEY,
  uid TEXT UNIQUE,
  name TEXT NOT NULL,
  rate_limit INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE event_types (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  schemas TEXT,
  archived INTEGER NOT NULL DEFAULT 0,
  deprecated INTEGER NOT NULL DEFAULT 0,
  feature_flag TEXT,
  group_name TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE endpoints (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  uid TEXT,
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  filter_types TEXT,
  channels TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  rate_limit INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  headers TEXT NOT NULL DEFAULT '{}',
  -- JSON list of {key, expiresAt}; each key encrypted with the master key.
  secrets TEXT NOT NULL,
  timeout_ms INTEGER,
  retry_schedule TEXT,
  format TEXT NOT NULL DEFAULT 'standard',
  transformation TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (app_id, uid)
);
CREATE INDEX endpoints_app ON endpoints (app_id, id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  event_type TEXT NOT NULL,
  event_id TEXT,
  payload TEXT,
  channels TEXT,
  tags TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (app_id, event_id)
);
CREATE INDEX messages_app ON messages (app_id, id);

-- The queue. status: 0 pending, 1 sending (leased), 2 succeeded, 3 failed.
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  msg_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
  app_id TEXT NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER,
  -- the trigger of the next attempt: 0 scheduled, 1 manual (resend), and the attempt it repeats
  trigger_type INTEGER NOT NULL DEFAULT 0,
  parent_attempt_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (msg_id, endpoint_id)
);
-- Claiming reads only the due part of the queue: pending rows by due time, and leased
-- rows by lease end (a lease that ran out means its worker died). Two partial indexes,
-- so the claim never walks past rows that are being sent right now.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 0;
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 1;
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, status);

-- status: Svix numbers, 0 success, 1 pending, 2 fail, 3 sending.
CREATE TABLE attempts (
  id TEXT PRIMARY KEY,
  delivery_id TEXT NOT NULL,
  msg_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  app_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  url TEXT NOT NULL,
  status INTEGER NOT NULL,
  trigger_type INTEGER NOT NULL,
  parent_id TEXT,
  response_status_code INTEGER NOT NULL,
  response_headers TEXT,
  response TEXT NOT NULL,
  response_duration_ms INTEGER NOT NULL,
  request_headers TEXT NOT NULL,
  request_body TEXT,
  error_kind TEXT,
  error_detail TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX attempts_msg ON attempts (msg_id, id);
CREATE INDEX attempts_endpoint ON attempts (endpoint_id, id);
CREATE INDEX attempts_app ON attempts (app_id, id);

CREATE TABLE idempotency (
  key TEXT PRIMARY KEY,
  status_code INTEGER NOT NULL,
  body TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
