import type { EndpointHealth, FailingEndpoint, HealthEvent } from '../ops-port.js';
import { FAILING_COLUMNS, FAILING_WHERE, failingFromRow, healthFromRow } from '../ops-rows.js';
import { type Ctx, lookupKey } from './sql.js';

/**
 * The failure streak lives in the endpoints row, so every node sees one
 * streak. A success ends it; a failed attempt counts; an exhausted message
 * starts `failing_since` (if not already set) and counts too.
 */
const HEALTH = `id, app_id, disabled, failing_since, consecutive_failures, consecutive_exhausted, last_success_at,
  last_failure_at`;

const TRACK: Record<HealthEvent['kind'], string> = {
  success: `UPDATE endpoints SET failing_since = NULL, consecutive_failures = 0, consecutive_exhausted = 0,
    last_success_at = $2 WHERE id = $1 RETURNING ${HEALTH}`,
  failure: `UPDATE endpoints SET consecutive_failures = consecutive_failures + 1, last_failure_at = $2
    WHERE id = $1 RETURNING ${HEALTH}`,
  exhausted: `UPDATE endpoints SET consecutive_exhausted = consecutive_exhausted + 1,
    failing_since = COALESCE(failing_since, $2), last_failure_at = $2 WHERE id = $1 RETURNING ${HEALTH}`,
};

export async function trackEndpointHealth(ctx: Ctx, events: readonly HealthEvent[]): Promise<EndpointHealth[]> {
  if (events.length === 0) return [];
  return ctx.db.tx(async (c) => {
    const after: EndpointHealth[] = [];
    for (const e of events) {
      const { rows } = await c.query(TRACK[e.kind], [e.endpointId, e.at]);
      if (rows[0]) after.push(healthFromRow(rows[0]));
    }
    return after;
  });
}

export async function endpointHealth(ctx: Ctx, ids: readonly string[]): Promise<EndpointHealth[]> {
  if (ids.length === 0) return [];
  const { rows } = await ctx.db.query(`SELECT ${HEALTH} FROM endpoints WHERE id = ANY($1::text[])`, [
    ids.map(lookupKey),
  ]);
  return rows.map(healthFromRow);
}

export async function resetEndpointHealth(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.query(
    'UPDATE endpoints SET failing_since = NULL, consecutive_failures = 0, consecutive_exhausted = 0 WHERE id = $1',
    [lookupKey(id)],
  );
}

export async function disableEndpoint(ctx: Ctx, id: string, now: number): Promise<boolean> {
  const { rowCount } = await ctx.db.query(
    'UPDATE endpoints SET disabled = TRUE, updated_at = $2 WHERE id = $1 AND NOT disabled',
    [lookupKey(id), now],
  );
  return (rowCount ?? 0) > 0;
}

export async function disableFailingEndpoints(ctx: Ctx, before: number, now: number): Promise<EndpointHealth[]> {
  const { rows } = await ctx.db.query(
    `UPDATE endpoints SET disabled = TRUE, updated_at = $2
     WHERE failing_since IS NOT NULL AND failing_since < $1 AND NOT disabled RETURNING ${HEALTH}`,
    [before, now],
  );
  return rows.map(healthFromRow);
}

export async function failingEndpoints(ctx: Ctx, appId: string | null, limit: number): Promise<FailingEndpoint[]> {
  const { rows } = await ctx.db.query(
    `SELECT ${FAILING_COLUMNS} FROM endpoints
     WHERE ${FAILING_WHERE} AND ($1::text IS NULL OR app_id = $1)
     ORDER BY last_failure_at DESC NULLS LAST, id LIMIT $2`,
    [appId === null ? null : lookupKey(appId), limit],
  );
  return rows.map(failingFromRow);
}
