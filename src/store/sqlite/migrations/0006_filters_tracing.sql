-- 0005: payload filters and trace context. Never edit once shipped.

-- An endpoint's CEL filter over the message (null: every message its event
-- types and channels let through).
ALTER TABLE endpoints ADD COLUMN filter TEXT;

-- Why an endpoint got no delivery of a message: its filter failed on that
-- payload. Written in the message's transaction; only failures are kept (a
-- filter answering false is the normal case and leaves no trace).
CREATE TABLE filter_errors (
  msg_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
  app_id TEXT NOT NULL,
  error TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (msg_id, endpoint_id)
);
CREATE INDEX filter_errors_endpoint ON filter_errors (endpoint_id);

-- The W3C trace context (traceparent, then tracestate after a newline) the
-- message was created in, so a delivery sent later or by another node
-- continues the same trace. Null when tracing was off.
ALTER TABLE messages ADD COLUMN trace_context TEXT;
