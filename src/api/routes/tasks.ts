import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../../context.js';
import { invalid, notFound } from '../../core/errors.js';
import type { OpsState } from '../../ops/state.js';
import type { Task, TaskKind, TaskStatus } from '../../store/ops-port.js';
import { allowedAppIds, requireAdmin } from '../access.js';
import { pageRequest, type Query, stringParam } from '../params.js';
import { iso } from '../serialize.js';
import { loadEndpoint } from './endpoints.js';

/**
 * Replay: `recover` requeues every failed delivery of an
 * endpoint in a window, `replay-missing` gives the endpoint a delivery for
 * every message of the window it never had. Both answer 202 with a task
 * whose progress `GET /api/v1/background-task/{id}` shows (Svix's shape,
 * plus `total`, `done`, `failed` and `progress`).
 */
const windowIn = {
  type: 'object',
  required: ['since'],
  properties: { since: { type: 'string', maxLength: 64 }, until: { type: ['string', 'null'], maxLength: 64 } },
} as const;

function parseWindow(
  body: { since: string; until?: string | null },
  now: number,
): { since: number; until: number | null } {
  const since = Date.parse(body.since);
  if (Number.isNaN(since)) throw invalid('since must be an ISO 8601 date-time.');
  const until = body.until ? Date.parse(body.until) : null;
  if (until !== null && Number.isNaN(until)) throw invalid('until must be an ISO 8601 date-time.');
  if (until !== null && until <= since) throw invalid('until must be after since.');
  if (since > now) throw invalid('since is in the future.');
  return { since, until };
}

export function taskOut(t: Task) {
  return {
    id: t.id,
    status: t.status,
    task: t.kind,
    updatedAt: iso(t.updatedAt),
    data: {
      appId: t.appId,
      endpointId: t.endpointId,
      since: iso(t.params.since),
      until: t.params.until === null ? null : iso(t.params.until),
      total: t.total,
      done: t.done,
      failed: t.failed,
      error: t.error,
    },
    // Hookway extensions
    createdAt: iso(t.createdAt),
    total: t.total,
    done: t.done,
    failed: t.failed,
    progress: t.status === 'finished' ? 1 : t.total === 0 ? 0 : Math.min(1, (t.done + t.failed) / t.total),
  };
}

const KINDS: TaskKind[] = ['endpoint.recover', 'endpoint.replay'];
const STATUSES: TaskStatus[] = ['running', 'finished', 'failed'];

export function taskRoutes(app: FastifyInstance, ctx: Context, state: OpsState): void {
  const start =
    (kind: TaskKind) =>
    async (request: FastifyRequest, reply: { status(n: number): { send(b: unknown): unknown } }) => {
      const ep = await loadEndpoint(ctx, request);
      const { since, until } = parseWindow(request.body as { since: string; until?: string | null }, ctx.now());
      const task = await state.tasks.create(kind, ep.appId, ep.id, since, until);
      const { id, status, task: name, updatedAt } = taskOut(task);
      return reply.status(202).send({ id, status, task: name, updatedAt });
    };
  app.post(
    '/api/v1/app/:app_id/endpoint/:endpoint_id/recover',
    { schema: { body: windowIn } },
    start('endpoint.recover'),
  );
  app.post(
    '/api/v1/app/:app_id/endpoint/:endpoint_id/replay-missing',
    { schema: { body: windowIn } },
    start('endpoint.replay'),
  );

  const getOne = async (request: FastifyRequest) => {
    const { task_id } = request.params as { task_id: string };
    const task = await ctx.store.getTask(task_id);
    const allowed = allowedAppIds(request);
    if (!task || (allowed !== null && !allowed.includes(task.appId))) throw notFound('Task');
    return taskOut(task);
  };
  app.get('/api/v1/background-task/:task_id', getOne);
  app.get('/api/v1/task/:task_id', getOne);

  const list = async (request: FastifyRequest) => {
    requireAdmin(request);
    const q = request.query as Query;
    const status = stringParam(q, 'status') as TaskStatus | undefined;
    const kind = stringParam(q, 'task') as TaskKind | undefined;
    if (status !== undefined && !STATUSES.includes(status))
      throw invalid('status must be running, finished or failed.');
    if (kind !== undefined && !KINDS.includes(kind)) throw invalid(`task must be one of ${KINDS.join(', ')}.`);
    const p = await ctx.store.listTasks({ status, kind }, pageRequest(q));
    return { ...p, data: p.data.map(taskOut) };
  };
  app.get('/api/v1/background-task', list);
  app.get('/api/v1/task', list);
}
