-- 0005: credentials of broker endpoint URLs (amqp://user:PASSWORD@host). The url
-- column keeps the URL with its secret replaced by `****`; this column holds that
-- secret encrypted under the master key (`enc:v1:`), or null. Never edit once shipped.

ALTER TABLE endpoints ADD COLUMN credentials TEXT;
