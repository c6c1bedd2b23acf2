import { notFound } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Delivery, DeliveryState } from '../../core/types.js';
import { NEXT_FIFO_DUE } from '../fifo-sql.js';
import type { AttemptResult } from '../port.js';
import { attemptToRow, deliveryFromRow, num, type Row } from '../rows.js';
import { deliveryCode, NEXT_DELIVERY_CODE } from '../status-codes.js';
import { takeSeqs } from './fifo.js';
import { type Ctx, lookupKey } from './sql.js';
import { notifyWake } from './wake.js';

const ATTEMPT_COLUMNS = [
  'id',
  'delivery_id',
  'msg_id',
  'endpoint_id',
  'app_id',
  'url',
  'status',
  'trigger_type',
  'parent_id',
  'response_status_code',
  'response_headers',
  'response',
  'response_duration_ms',
  'request_headers',
  'request_body',
  'error_kind',
  'error_detail',
  'created_at',
] as const;

const ATTEMPT_TYPES: Record<(typeof ATTEMPT_COLUMNS)[number], string> = {
  id: 'text',
  delivery_id: 'text',
  msg_id: 'text',
  endpoint_id: 'text',
  app_id: 'text',
  url: 'text',
  status: 'int',
  trigger_type: 'int',
  parent_id: 'text',
  response_status_code: 'int',
  response_headers: 'text',
  response: 'text',
  response_duration_ms: 'int',
  request_headers: 'text',
  request_body: 'text',
  error_kind: 'text',
  error_detail: 'text',
  created_at: 'bigint',
};

/** event_type is copied from the message so attempt lists filter without a join. */
const INSERT_ATTEMPTS = `
  INSERT INTO attempts (${ATTEMPT_COLUMNS.join(', ')}, event_type)
  SELECT u.*, COALESCE(m.event_type, '')
  FROM unnest(${ATTEMPT_COLUMNS.map((c, i) => `$${i + 1}::${ATTEMPT_TYPES[c]}[]`).join(', ')})
    AS u(${ATTEMPT_COLUMNS.join(', ')})
  LEFT JOIN messages m ON m.id = u.msg_id`;

/**
 * One UPDATE for the whole batch. Results are folded per delivery in batch
 * order, as if applied one by one: each counts as an attempt, the last one
 * sets the status, and the last retry time given sets the due time. The
 * next attempt is scheduled unless a resend says otherwise, so the trigger
 * resets every time.
 */
const MOVE_ON = `
  WITH u AS (
    SELECT id,
      count(*) AS n,
      (array_agg(status ORDER BY ord DESC))[1] AS status,
      (array_agg(next_at ORDER BY ord DESC) FILTER (WHERE next_at IS NOT NULL))[1] AS next_at
    FROM unnest($1::text[], $2::int[], $3::bigint[]) WITH ORDINALITY AS t(id, status, next_at, ord)
    GROUP BY id
  )
  UPDATE deliveries d
  SET attempts = d.attempts + u.n, status = u.status, next_attempt_at = COALESCE(u.next_at, d.next_attempt_at),
    lease_until = NULL, trigger_type = 0, parent_attempt_id = NULL, updated_at = $4
  FROM u WHERE d.id = u.id`;

const DISABLE_ENDPOINTS = `
  UPDATE endpoints SET disabled = true, updated_at = $2
  WHERE id IN (SELECT endpoint_id FROM deliveries WHERE id = ANY($1::text[]))`;

/** Records attempts and moves deliveries on: three statements in one transaction, whatever the batch size. */
export async function recordAttempts(ctx: Ctx, results: AttemptResult[], now: number): Promise<void> {
  if (results.length === 0) return;
  const columns = ATTEMPT_COLUMNS.map(() => [] as unknown[]);
  const ids: string[] = [];
  const statuses: number[] = [];
  const nextAt: (number | null)[] = [];
  const disable: string[] = [];
  for (const { attempt, deliveryId, update } of results) {
    // The column is INTEGER; a duration measured with sub-millisecond precision is rounded, not refused.
    const row: Row = { ...attemptToRow(attempt), response_duration_ms: Math.round(attempt.responseDurationMs) };
    ATTEMPT_COLUMNS.forEach((c, i) => {
      columns[i]?.push(row[c]);
    });
    ids.push(deliveryId);
    statuses.push(NEXT_DELIVERY_CODE[update.kind]);
    nextAt.push(update.kind === 'retry' ? update.nextAttemptAt : null);
    if (update.kind === 'gone') disable.push(deliveryId);
  }
  // Engine bookkeeping: the synchronous_commit=off pool (see db.ts).
  await ctx.db.engine.tx(async (c) => {
    await c.query(INSERT_ATTEMPTS, columns);
    await c.query(MOVE_ON, [ids, statuses, nextAt, now]);
    if (disable.length > 0) await c.query(DISABLE_ENDPOINTS, [disable, now]);
  });
}

/**
 * Only a message and endpoint of `appId` can be requeued: the SELECT yields
 * no row otherwise. Other nodes are woken in the same transaction. A FIFO
 * endpoint's delivery joins the back of its queue ($7, a new seq), unless it
 * is being sent right now: then it is left alone and read back as it is (a
 * second copy in flight would break the order).
 */
const REQUEUE = `
  WITH up AS (
    INSERT INTO deliveries (id, msg_id, endpoint_id, app_id, status, attempts, next_attempt_at, lease_until,
      trigger_type, parent_attempt_id, seq, created_at, updated_at)
    SELECT $1, m.id, e.id, m.app_id, 0, 0, $5, NULL, 1, $6, $7, $5, $5
    FROM messages m JOIN endpoints e ON e.id = $4 AND e.app_id = m.app_id
    WHERE m.app_id = $2 AND m.id = $3
    ON CONFLICT (msg_id, endpoint_id) DO UPDATE SET status = 0, next_attempt_at = excluded.next_attempt_at,
      lease_until = NULL, trigger_type = 1, parent_attempt_id = excluded.parent_attempt_id, seq = excluded.seq,
      updated_at = excluded.updated_at
    WHERE NOT (deliveries.status = 1 AND deliveries.seq IS NOT NULL)
    RETURNING *
  )
  SELECT * FROM up
  UNION ALL
  SELECT * FROM deliveries WHERE app_id = $2 AND msg_id = $3 AND endpoint_id = $4 AND NOT EXISTS (SELECT 1 FROM up)`;

export async function requeueDelivery(
  ctx: Ctx,
  appId: string,
  msgId: string,
  endpointId: string,
  now: number,
  parentAttemptId: string | null,
): Promise<Delivery> {
  const row = await ctx.db.tx(async (c) => {
    const seq = await takeSeqs(c, endpointId, 1);
    const { rows } = await c.query(REQUEUE, [
      newId('dlv', now),
      lookupKey(appId),
      lookupKey(msgId),
      lookupKey(endpointId),
      now,
      parentAttemptId,
      seq,
    ]);
    if (rows[0]) await notifyWake(c, ctx.channel, ctx.nodeTag);
    return rows[0];
  });
  if (!row) throw notFound('Message or endpoint');
  return deliveryFromRow(row);
}

/**
 * Disabled endpoints' deliveries stay pending but are never claimed, so they
 * must not count as due either, or the dispatcher would wake for them forever.
 * FIFO queues count by their heads only.
 */
export async function nextDueAt(ctx: Ctx): Promise<number | null> {
  const { rows } = await ctx.db.query(`SELECT LEAST(
      (SELECT MIN(d.next_attempt_at) FROM deliveries d
       JOIN endpoints e ON e.id = d.endpoint_id WHERE d.status = 0 AND d.seq IS NULL AND NOT e.disabled),
      (${NEXT_FIFO_DUE})) AS due`);
  const due = rows[0]?.due;
  return due === null || due === undefined ? null : num(due);
}

export async function countDeliveries(ctx: Ctx, filter: { status?: DeliveryState }): Promise<number> {
  const { rows } =
    filter.status === undefined
      ? await ctx.db.query('SELECT COUNT(*) AS n FROM deliveries')
      : await ctx.db.query('SELECT COUNT(*) AS n FROM deliveries WHERE status = $1', [deliveryCode(filter.status)]);
  return num(rows[0]?.n ?? 0);
}
