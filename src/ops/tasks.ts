import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Context } from '../context.js';
import { coerceError } from '../core/errors.js';
import { wants } from '../core/fanout.js';
import { newId } from '../core/ids.js';
import type { Task, TaskKind, TaskProgress } from '../store/ops-port.js';

/**
 * Background tasks (recover, replay-missing) run in-process on the node that
 * accepted them, in batches; after every batch the progress and a heartbeat
 * are saved. A node that dies leaves its task `running` with a stale
 * heartbeat; every node periodically adopts such tasks (one statement, so two
 * nodes never adopt the same one) and resumes them from the saved cursor.
 * Both kinds are safe to resume: recover only touches deliveries still
 * failed, replay-missing only adds deliveries that do not exist.
 */
export interface TaskRunner {
  create(kind: TaskKind, appId: string, endpointId: string, since: number, until: number | null): Promise<Task>;
  /** Adopts and resumes tasks abandoned by dead nodes. */
  adoptStale(): Promise<void>;
  stop(): Promise<void>;
}

const BATCH = 500;

export function createTaskRunner(ctx: Context, log: Logger, staleMs: number): TaskRunner {
  const owner = `node_${randomBytes(6).toString('hex')}`;
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  async function save(task: Task, p: TaskProgress): Promise<boolean> {
    const ok = await ctx.store.saveTaskProgress(task.id, owner, p, ctx.now());
    if (!ok) log.warn({ taskId: task.id }, 'task adopted by another node; stopping here');
    return ok;
  }

  async function recover(task: Task, p: TaskProgress): Promise<void> {
    const until = task.params.until ?? task.createdAt + 1;
    if (p.cursor === null && p.total === 0) {
      p.total = await ctx.store.countFailedDeliveries(task.endpointId, task.params.since, until);
      if (!(await save(task, p))) return;
    }
    for (;;) {
      if (stopped) return;
      const { count, lastId } = await ctx.store.requeueFailedDeliveries(
        task.endpointId,
        task.params.since,
        until,
        p.cursor,
        BATCH,
        ctx.now(),
      );
      if (lastId === null) break;
      p.done += count;
      p.cursor = lastId;
      ctx.wake();
      if (!(await save(task, p))) return;
    }
    p.total = Math.max(p.total, p.done + p.failed);
    p.status = 'finished';
    await save(task, p);
  }

  async function replay(task: Task, p: TaskProgress): Promise<void> {
    const endpoint = await ctx.store.getEndpoint(task.appId, task.endpointId);
    if (!endpoint) throw new Error('endpoint no longer exists');
    const until = task.params.until ?? task.createdAt + 1;
    for (;;) {
      if (stopped) return;
      const page = await ctx.store.listMessages(
        task.appId,
        { after: task.params.since - 1, before: until },
        { limit: BATCH, iterator: p.cursor ?? undefined, order: 'asc' },
      );
      const matching = page.data.filter((m) => wants(endpoint, m)).map((m) => m.id);
      await ctx.store.addMissingDeliveries(task.appId, task.endpointId, matching, ctx.now());
      p.total += matching.length;
      p.done += matching.length;
      if (page.iterator !== null) p.cursor = page.iterator;
      ctx.wake();
      if (page.done || page.data.length === 0) break;
      if (!(await save(task, p))) return;
    }
    p.status = 'finished';
    await save(task, p);
  }

  function run(task: Task): void {
    const p: TaskProgress = {
      status: 'running',
      total: task.total,
      done: task.done,
      failed: task.failed,
      cursor: task.cursor,
      error: null,
    };
    const work = (task.kind === 'endpoint.recover' ? recover(task, p) : replay(task, p))
      .catch(async (err) => {
        const e = coerceError(err);
        log.error({ err: e, taskId: task.id }, 'task failed');
        await save(task, { ...p, status: 'failed', error: e.message.slice(0, 500) }).catch(() => {});
      })
      .finally(() => running.delete(task.id));
    running.set(task.id, work);
  }

  return {
    async create(kind, appId, endpointId, since, until) {
      const now = ctx.now();
      const task = await ctx.store.createTask({
        id: newId('task', now),
        kind,
        status: 'running',
        appId,
        endpointId,
        params: { since, until },
        total: 0,
        done: 0,
        failed: 0,
        cursor: null,
        error: null,
        owner,
        heartbeatAt: now,
        createdAt: now,
        updatedAt: now,
      });
      log.info({ taskId: task.id, kind, endpointId }, 'task started');
      run(task);
      return task;
    },
    async adoptStale() {
      if (stopped) return;
      const now = ctx.now();
      for (const task of await ctx.store.adoptStaleTasks(owner, now - staleMs, now, 10)) {
        log.info({ taskId: task.id, from: task.owner }, 'task adopted');
        run(task);
      }
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}
