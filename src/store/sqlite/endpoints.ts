import { notFound } from '../../core/errors.js';
import type { Store } from '../port.js';
import { bool, endpointFromRow, endpointToRow, pageLimit, type Row, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';
import { mapConstraint } from './errors.js';
import { fifoSwitch } from './fifo.js';

type EndpointOps = Pick<
  Store,
  'createEndpoint' | 'getEndpoint' | 'listEndpoints' | 'activeEndpoints' | 'updateEndpoint' | 'deleteEndpoint'
>;

const COLUMNS = `id, app_id, uid, url, description, version, filter_types, channels, disabled, rate_limit,
  metadata, headers, secrets, timeout_ms, retry_schedule, format, transformation, filter, credentials, fifo,
  created_at, updated_at`;

export function endpointOps(ctx: Ctx): EndpointOps {
  const insert = ctx.prepare(`INSERT INTO endpoints (${COLUMNS})
    VALUES (@id, @app_id, @uid, @url, @description, COALESCE(@version, 1), @filter_types, @channels, @disabled,
      @rate_limit, @metadata, @headers, @secrets, @timeout_ms, @retry_schedule, @format, @transformation,
      @filter, @credentials, @fifo, @created_at, @updated_at)
    RETURNING *`);
  const byId = ctx.prepare('SELECT * FROM endpoints WHERE app_id = ? AND id = ?');
  const byUid = ctx.prepare('SELECT * FROM endpoints WHERE app_id = ? AND uid = ?');
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM endpoints WHERE app_id = @app_id AND id ${past} @bound
      ORDER BY id ${dir} LIMIT @limit`,
  );
  const active = ctx.prepare('SELECT * FROM endpoints WHERE app_id = ? AND disabled = 0 ORDER BY id');
  // `version` is kept when the caller leaves it out; created_at never changes.
  const update = ctx.prepare(`UPDATE endpoints
    SET uid = @uid, url = @url, description = @description, version = COALESCE(@version, version),
      filter_types = @filter_types, channels = @channels, disabled = @disabled, rate_limit = @rate_limit,
      metadata = @metadata, headers = @headers, secrets = @secrets, timeout_ms = @timeout_ms,
      retry_schedule = @retry_schedule, format = @format, transformation = @transformation, filter = @filter,
      credentials = @credentials, fifo = @fifo, updated_at = @updated_at
    WHERE app_id = @app_id AND id = @id RETURNING *`);
  const wasFifo = ctx.prepare('SELECT fifo FROM endpoints WHERE app_id = ? AND id = ?');
  const switchFifo = fifoSwitch(ctx);
  // Turning FIFO on or off changes how the endpoint's queued deliveries are numbered, in the same transaction.
  const updateTx = ctx.db.transaction((row: Row) => {
    const before = wasFifo().get(row.app_id, row.id);
    const after = update().get(row);
    if (before && after && bool(before.fifo) !== bool(after.fifo)) switchFifo(String(after.id), bool(after.fifo));
    return after;
  });
  const remove = ctx.prepare('DELETE FROM endpoints WHERE app_id = ? AND id = ?');

  const fromRow = (row: Row) => endpointFromRow(row, ctx.cipher);

  return {
    async createEndpoint(ep, now) {
      const row = mapConstraint('An endpoint with this id or uid already exists.', () =>
        insert().get(endpointToRow(ep, ctx.cipher, now)),
      );
      return fromRow(row!);
    },

    async getEndpoint(appId, idOrUid) {
      const row = byId().get(appId, idOrUid) ?? byUid().get(appId, idOrUid);
      return row ? fromRow(row) : null;
    },

    async listEndpoints(appId, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = list(order).all({ app_id: appId, bound: pageBound(page, order), limit: limit + 1 });
      return toPage(rows, page, (r) => String(r.id), fromRow);
    },

    async activeEndpoints(appId) {
      return active().all(appId).map(fromRow);
    },

    async updateEndpoint(ep, now) {
      const row = mapConstraint('An endpoint with this uid already exists.', () =>
        updateTx.immediate(endpointToRow(ep, ctx.cipher, now)),
      );
      if (!row) throw notFound('Endpoint');
      return fromRow(row);
    },

    async deleteEndpoint(appId, id) {
      remove().run(appId, id);
    },
  };
}
