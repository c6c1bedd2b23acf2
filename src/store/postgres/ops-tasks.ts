import type { Page, PageRequest } from '../../core/types.js';
import type { Task, TaskKind, TaskProgress, TaskStatus } from '../ops-port.js';
import { taskFromRow, taskToRow } from '../ops-rows.js';
import { pageLimit, toPage } from '../rows.js';
import { type Ctx, keyset, lookupKey, Params, pageOrder, where } from './sql.js';

const COLUMNS = [
  'id',
  'kind',
  'status',
  'app_id',
  'endpoint_id',
  'params',
  'total',
  'done',
  'failed',
  'cursor',
  'error',
  'owner',
  'heartbeat_at',
  'created_at',
  'updated_at',
] as const;

export async function createTask(ctx: Ctx, task: Task): Promise<Task> {
  const r = taskToRow(task);
  const { rows } = await ctx.db.query(
    `INSERT INTO background_tasks (${COLUMNS.join(', ')})
     VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    COLUMNS.map((c) => r[c]),
  );
  return taskFromRow(rows[0]);
}

export async function getTask(ctx: Ctx, id: string): Promise<Task | null> {
  const { rows } = await ctx.db.query('SELECT * FROM background_tasks WHERE id = $1', [lookupKey(id)]);
  return rows[0] ? taskFromRow(rows[0]) : null;
}

export async function listTasks(
  ctx: Ctx,
  filter: { status?: TaskStatus | undefined; kind?: TaskKind | undefined },
  page: PageRequest,
): Promise<Page<Task>> {
  const order = pageOrder(page);
  const limit = pageLimit(page);
  const p = new Params();
  const status = filter.status ? `status = ${p.add(filter.status)}` : null;
  const kind = filter.kind ? `kind = ${p.add(filter.kind)}` : null;
  const { past, tail } = keyset(page, order, 'id', limit, p);
  const { rows } = await ctx.db.query(
    `SELECT * FROM background_tasks ${where([status, kind, past])} ${tail}`,
    p.values,
  );
  return toPage(rows, page, (r) => String(r.id), taskFromRow);
}

/** Only the owner may write progress: a node that was presumed dead must not overwrite its adopter. */
export async function saveTaskProgress(
  ctx: Ctx,
  id: string,
  owner: string,
  p: TaskProgress,
  now: number,
): Promise<boolean> {
  const { rowCount } = await ctx.db.query(
    `UPDATE background_tasks SET status = $3, total = $4, done = $5, failed = $6, cursor = $7, error = $8,
       heartbeat_at = $9, updated_at = $9
     WHERE id = $1 AND owner = $2`,
    [id, owner, p.status, p.total, p.done, p.failed, p.cursor, p.error, now],
  );
  return (rowCount ?? 0) > 0;
}

/** One statement: two nodes adopting at once skip each other's rows. */
export async function adoptStaleTasks(
  ctx: Ctx,
  owner: string,
  staleBefore: number,
  now: number,
  limit: number,
): Promise<Task[]> {
  const { rows } = await ctx.db.query(
    `WITH stale AS (
       SELECT id FROM background_tasks WHERE status = 'running' AND heartbeat_at < $2
       ORDER BY heartbeat_at LIMIT $4 FOR UPDATE SKIP LOCKED)
     UPDATE background_tasks t SET owner = $1, heartbeat_at = $3, updated_at = $3
     FROM stale WHERE t.id = stale.id RETURNING t.*`,
    [owner, staleBefore, now, limit],
  );
  return rows.map(taskFromRow);
}
