/**
 * SQL both adapters run as is for FIFO endpoints (the statement reads the
 * same in SQLite and PostgreSQL). A FIFO endpoint's queue is its deliveries
 * with a `seq` that are pending (status 0) or being sent (status 1), in the
 * partial index deliveries_fifo (endpoint_id, status, seq). Every statement
 * repeats the index's condition (`seq IS NOT NULL AND status <= 1`) word for
 * word: SQLite uses a partial index only when the query states its condition.
 */

/**
 * The FIFO endpoints with a queue, one seek each (a loose index scan): the
 * recursive part of a WITH RECURSIVE, named `fifo_eps(id)`; its last row is null.
 */
export const FIFO_ENDPOINTS = `fifo_eps(id) AS (
    SELECT (SELECT endpoint_id FROM deliveries WHERE seq IS NOT NULL AND status <= 1
            ORDER BY endpoint_id LIMIT 1)
    UNION ALL
    SELECT (SELECT d.endpoint_id FROM deliveries d WHERE d.seq IS NOT NULL AND d.status <= 1
              AND d.endpoint_id > fifo_eps.id ORDER BY d.endpoint_id LIMIT 1)
    FROM fifo_eps WHERE fifo_eps.id IS NOT NULL
  )`;

/** Nothing of the FIFO endpoint `ep` is being sent (`ep`: a column naming it). */
export const fifoIdle = (ep: string): string => `NOT EXISTS (SELECT 1 FROM deliveries x
    WHERE x.endpoint_id = ${ep} AND x.seq IS NOT NULL AND x.status <= 1 AND x.status = 1)`;

/** The id (or `column`) of the pending delivery at the head of `ep`'s queue. */
export const fifoHead = (ep: string, column = 'id'): string => `(SELECT h.${column} FROM deliveries h
    WHERE h.endpoint_id = ${ep} AND h.seq IS NOT NULL AND h.status <= 1 AND h.status = 0 ORDER BY h.seq LIMIT 1)`;

/**
 * When the earliest FIFO head is due (one row, `due`, null when none is
 * waiting): a queue whose head is being sent, or whose endpoint is disabled,
 * is not waiting for a time. Held deliveries behind a head never count.
 */
export const NEXT_FIFO_DUE = `WITH RECURSIVE ${FIFO_ENDPOINTS}
  SELECT MIN(${fifoHead('f.id', 'next_attempt_at')}) AS due
  FROM fifo_eps f JOIN endpoints e ON e.id = f.id
  WHERE NOT e.disabled AND ${fifoIdle('f.id')}`;
