-- 0002: the inbound gateway. Times are BIGINT milliseconds since the epoch; ids are COLLATE "C"
-- so they sort byte-wise, as in SQLite.
-- A source owns a hidden application (app_id) whose endpoints are its ingest
-- endpoints, so forwarding runs on the same delivery engine as outbound.

CREATE TABLE sources (
  id TEXT COLLATE "C" PRIMARY KEY,
  uid TEXT UNIQUE,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  -- JSON object; credential values (secret, secrets, password, key) encrypted with the master key.
  config TEXT NOT NULL DEFAULT '{}',
  app_id TEXT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
  forward_app_id TEXT REFERENCES applications(id) ON DELETE SET NULL,
  body_limit INTEGER NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX sources_app ON sources (app_id);

-- status: received, forwarded, processed, unhandled, error.
CREATE TABLE inbound_events (
  id TEXT COLLATE "C" PRIMARY KEY,
  source_id TEXT COLLATE "C" NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  -- the provider's idempotency key, or the event's own id when the provider sends none
  dedupe_key TEXT NOT NULL,
  event_id TEXT,
  event_type TEXT NOT NULL,
  body BYTEA NOT NULL,
  content_type TEXT,
  headers TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  -- the forwarding messages: in the source's application, and in forward_app_id
  msg_id TEXT,
  forward_msg_id TEXT,
  received_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (source_id, dedupe_key)
);
CREATE INDEX inbound_events_source ON inbound_events (source_id, id);
CREATE INDEX inbound_events_status ON inbound_events (source_id, status, id);
CREATE INDEX inbound_events_type ON inbound_events (source_id, event_type, id);
CREATE INDEX inbound_events_msg ON inbound_events (msg_id) WHERE msg_id IS NOT NULL;
CREATE INDEX inbound_events_forward_msg ON inbound_events (forward_msg_id) WHERE forward_msg_id IS NOT NULL;

CREATE TABLE inbound_rejections (
  id TEXT COLLATE "C" PRIMARY KEY,
  source_id TEXT COLLATE "C" NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  headers TEXT NOT NULL,
  body_excerpt TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX inbound_rejections_source ON inbound_rejections (source_id, id);
