import { notFound } from '../../core/errors.js';
import type { Store } from '../port.js';
import { appFromRow, appToRow, pageLimit, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';
import { mapConstraint } from './errors.js';

type AppOps = Pick<Store, 'createApp' | 'getApp' | 'listApps' | 'updateApp' | 'deleteApp'>;

export function appOps(ctx: Ctx): AppOps {
  const insert = ctx.prepare(`INSERT INTO applications (id, uid, name, rate_limit, metadata, created_at, updated_at)
    VALUES (@id, @uid, @name, @rate_limit, @metadata, @created_at, @updated_at) RETURNING *`);
  const byId = ctx.prepare('SELECT * FROM applications WHERE id = ?');
  const byUid = ctx.prepare('SELECT * FROM applications WHERE uid = ?');
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM applications WHERE id ${past} @bound ORDER BY id ${dir} LIMIT @limit`,
  );
  const update = ctx.prepare(`UPDATE applications
    SET uid = @uid, name = @name, rate_limit = @rate_limit, metadata = @metadata, updated_at = @updated_at
    WHERE id = @id RETURNING *`);
  // Attempts have no foreign key (they outlive endpoint deletes), so an app's go explicitly.
  const removeAttempts = ctx.prepare('DELETE FROM attempts WHERE app_id = ?');
  const remove = ctx.prepare('DELETE FROM applications WHERE id = ?');
  const removeAll = ctx.db.transaction((id: string) => {
    removeAttempts().run(id);
    remove().run(id);
  });

  return {
    async createApp(app, now) {
      const row = mapConstraint('An application with this id or uid already exists.', () =>
        insert().get(appToRow(app, now)),
      );
      return appFromRow(row!);
    },

    /** By id first: a uid that happens to look like another app's id must not shadow it. */
    async getApp(idOrUid) {
      const row = byId().get(idOrUid) ?? byUid().get(idOrUid);
      return row ? appFromRow(row) : null;
    },

    async listApps(page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = list(order).all({ bound: pageBound(page, order), limit: limit + 1 });
      return toPage(rows, page, (r) => String(r.id), appFromRow);
    },

    async updateApp(app, now) {
      const row = mapConstraint('An application with this uid already exists.', () => update().get(appToRow(app, now)));
      if (!row) throw notFound('Application');
      return appFromRow(row);
    },

    async deleteApp(id) {
      removeAll.immediate(id);
    },
  };
}
