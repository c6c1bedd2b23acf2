import type { EndpointHealth, OpsStore } from '../ops-port.js';
import { FAILING_COLUMNS, FAILING_WHERE, failingFromRow, healthFromRow } from '../ops-rows.js';
import { toJson } from '../rows.js';
import type { Ctx } from './db.js';

type HealthOps = Pick<
  OpsStore,
  | 'trackEndpointHealth'
  | 'endpointHealth'
  | 'resetEndpointHealth'
  | 'disableEndpoint'
  | 'disableFailingEndpoints'
  | 'failingEndpoints'
>;

const HEALTH = `id, app_id, disabled, failing_since, consecutive_failures, consecutive_exhausted, last_success_at,
  last_failure_at`;

/**
 * The failure streak lives in the endpoints row, so every node sees one
 * streak. A success ends it; a failed attempt counts; an exhausted message
 * starts `failing_since` (if not already set) and counts too.
 */
export function healthOps(ctx: Ctx): HealthOps {
  const success = ctx.prepare(`UPDATE endpoints SET failing_since = NULL, consecutive_failures = 0,
      consecutive_exhausted = 0, last_success_at = @at WHERE id = @id RETURNING ${HEALTH}`);
  const failure = ctx.prepare(`UPDATE endpoints SET consecutive_failures = consecutive_failures + 1,
      last_failure_at = @at WHERE id = @id RETURNING ${HEALTH}`);
  const exhausted = ctx.prepare(`UPDATE endpoints SET consecutive_exhausted = consecutive_exhausted + 1,
      failing_since = COALESCE(failing_since, @at), last_failure_at = @at WHERE id = @id RETURNING ${HEALTH}`);
  const read = ctx.prepare(`SELECT ${HEALTH} FROM endpoints WHERE id IN (SELECT value FROM json_each(?))`);
  const reset = ctx.prepare(`UPDATE endpoints SET failing_since = NULL, consecutive_failures = 0,
      consecutive_exhausted = 0 WHERE id = ?`);
  const disableOne = ctx.prepare('UPDATE endpoints SET disabled = TRUE, updated_at = ? WHERE id = ? AND NOT disabled');
  const disableFailing = ctx.prepare(`UPDATE endpoints SET disabled = TRUE, updated_at = @now
    WHERE failing_since IS NOT NULL AND failing_since < @before AND NOT disabled RETURNING ${HEALTH}`);
  const failing = ctx.prepare(`SELECT ${FAILING_COLUMNS} FROM endpoints
    WHERE ${FAILING_WHERE} AND (@app_id IS NULL OR app_id = @app_id)
    ORDER BY last_failure_at IS NULL, last_failure_at DESC, id LIMIT @limit`);

  const trackTx = ctx.db.transaction((events: Parameters<OpsStore['trackEndpointHealth']>[0]) => {
    const after: EndpointHealth[] = [];
    for (const e of events) {
      const stmt = e.kind === 'success' ? success : e.kind === 'failure' ? failure : exhausted;
      const row = stmt().get({ id: e.endpointId, at: e.at });
      if (row) after.push(healthFromRow(row));
    }
    return after;
  });

  return {
    async trackEndpointHealth(events) {
      if (events.length === 0) return [];
      return trackTx.immediate(events);
    },
    async endpointHealth(ids) {
      if (ids.length === 0) return [];
      return read().all(toJson(ids)).map(healthFromRow);
    },
    async resetEndpointHealth(id) {
      reset().run(id);
    },
    async disableEndpoint(id, now) {
      return disableOne().run(now, id).changes > 0;
    },
    async disableFailingEndpoints(before, now) {
      return disableFailing().all({ before, now }).map(healthFromRow);
    },
    async failingEndpoints(appId, limit) {
      return failing().all({ app_id: appId, limit }).map(failingFromRow);
    },
  };
}
