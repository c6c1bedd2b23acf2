-- 0008: FIFO endpoints. Never edit once shipped.

-- A FIFO endpoint gets its messages one at a time, in the order their
-- creation was committed. fifo_seq is the last sequence number it handed
-- out: the transaction that creates deliveries bumps it, so the numbers
-- follow commit order.
ALTER TABLE endpoints ADD COLUMN fifo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN fifo_seq INTEGER NOT NULL DEFAULT 0;

-- A delivery's place in its FIFO endpoint's queue; null for every other delivery.
ALTER TABLE deliveries ADD COLUMN seq INTEGER;

-- FIFO claims read one endpoint's queue at two points: is something being
-- sent (status 1), and which pending row comes first (status 0, lowest seq).
CREATE INDEX deliveries_fifo ON deliveries (endpoint_id, status, seq) WHERE seq IS NOT NULL AND status <= 1;

-- The other claims and the next-due lookup never see FIFO rows: a held FIFO
-- queue (due, but waiting behind its head) would otherwise sit in front of
-- every other endpoint's due work.
DROP INDEX deliveries_pending_endpoint;
CREATE INDEX deliveries_pending_endpoint ON deliveries (endpoint_id, next_attempt_at) WHERE status = 0 AND seq IS NULL;
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 0 AND seq IS NULL;
