-- Claims walk pending deliveries endpoint by endpoint (see claim.ts), so a
-- backlog of one endpoint that is at its in-flight cap never hides another
-- endpoint's due work behind it.
CREATE INDEX deliveries_pending_endpoint ON deliveries (endpoint_id, next_attempt_at) WHERE status = 0;
