import type { OpsStore } from '../ops-port.js';
import { taskFromRow, taskToRow } from '../ops-rows.js';
import { pageLimit, toPage } from '../rows.js';
import { type Ctx, pageBound, pageOrder, prepareOrdered } from './db.js';

type TaskOps = Pick<OpsStore, 'createTask' | 'getTask' | 'listTasks' | 'saveTaskProgress' | 'adoptStaleTasks'>;

export function taskOps(ctx: Ctx): TaskOps {
  const insert = ctx.prepare(`INSERT INTO background_tasks (id, kind, status, app_id, endpoint_id, params, total, done,
      failed, cursor, error, owner, heartbeat_at, created_at, updated_at)
    VALUES (@id, @kind, @status, @app_id, @endpoint_id, @params, @total, @done, @failed, @cursor, @error, @owner,
      @heartbeat_at, @created_at, @updated_at)
    RETURNING *`);
  const byId = ctx.prepare('SELECT * FROM background_tasks WHERE id = ?');
  const list = prepareOrdered(
    ctx,
    (dir, past) => `SELECT * FROM background_tasks WHERE id ${past} @bound
      AND (@status IS NULL OR status = @status) AND (@kind IS NULL OR kind = @kind)
      ORDER BY id ${dir} LIMIT @limit`,
  );
  // Only the owner may write progress: a node that was presumed dead must not overwrite its adopter.
  const save = ctx.prepare(`UPDATE background_tasks SET status = @status, total = @total, done = @done,
      failed = @failed, cursor = @cursor, error = @error, heartbeat_at = @now, updated_at = @now
    WHERE id = @id AND owner = @owner`);
  const adopt = ctx.prepare(`UPDATE background_tasks SET owner = @owner, heartbeat_at = @now, updated_at = @now
    WHERE id IN (SELECT id FROM background_tasks WHERE status = 'running' AND heartbeat_at < @stale
      ORDER BY heartbeat_at LIMIT @limit)
    RETURNING *`);

  return {
    async createTask(task) {
      return taskFromRow(insert().get(taskToRow(task))!);
    },
    async getTask(id) {
      const row = byId().get(id);
      return row ? taskFromRow(row) : null;
    },
    async listTasks(filter, page) {
      const order = pageOrder(page);
      const limit = pageLimit(page);
      const rows = list(order).all({
        bound: pageBound(page, order),
        status: filter.status ?? null,
        kind: filter.kind ?? null,
        limit: limit + 1,
      });
      return toPage(rows, page, (r) => String(r.id), taskFromRow);
    },
    async saveTaskProgress(id, owner, p, now) {
      return save().run({ id, owner, now, ...p }).changes > 0;
    },
    async adoptStaleTasks(owner, staleBefore, now, limit) {
      return adopt().all({ owner, stale: staleBefore, now, limit }).map(taskFromRow);
    },
  };
}
