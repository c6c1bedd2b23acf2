import type { Command } from 'commander';
import type { Hookway } from '../sdk/client.js';
import { paginate } from '../sdk/client.js';
import { HookwayApiError } from '../sdk/http.js';
import type { BackgroundTaskOut } from '../sdk/types.js';
import { client, globals, note, parseSince, progress, sleep } from './context.js';

/**
 * `hookway replay` (resend one message) and `hookway recover` (resend every
 * failed delivery of an endpoint since a time), both with progress on stderr.
 *
 * recover asks the server first (POST .../recover answers a background task
 * that is polled); a server without that route gets the same result from the
 * client: page through the failed attempts and resend each message once.
 */
const TERMINAL = new Set(['finished', 'failed', 'completed', 'succeeded', 'cancelled', 'canceled', 'done']);

export function registerReplayCommands(program: Command): void {
  program
    .command('replay <msg> [endpoint]')
    .description('resend a message to one endpoint, or to every endpoint it was sent to')
    .requiredOption('--app <app>', 'the application of the message (id or uid)')
    .action(async (msg: string, endpoint: string | undefined, o, cmd: Command) => {
      const hw = client(cmd);
      const targets: string[] = [];
      if (endpoint) targets.push(endpoint);
      else {
        for await (const d of paginate((it) =>
          hw.messageAttempt.listAttemptedDestinations(o.app, msg, { limit: 250, iterator: it ?? null }),
        )) {
          targets.push(d.id);
        }
      }
      if (targets.length === 0) throw new Error(`message ${msg} was not sent to any endpoint; name one`);
      const bar = progress('replay', targets.length);
      let failed = 0;
      const errors: string[] = [];
      for (const [i, ep] of targets.entries()) {
        try {
          await hw.messageAttempt.resend(o.app, msg, ep);
        } catch (err) {
          failed++;
          errors.push(`${ep}: ${(err as Error).message}`);
        }
        bar.update(i + 1, failed);
      }
      bar.end();
      report(cmd, { msg, queued: targets.length - failed, failed, errors });
      if (failed > 0) process.exitCode = 1;
    });

  program
    .command('recover <app> <endpoint>')
    .description('resend every failed message of an endpoint since a time')
    .requiredOption('--since <when>', 'ISO date or a duration like 24h, 7d')
    .option('--until <when>', 'ISO date or a duration')
    .action(async (app: string, endpoint: string, o, cmd: Command) => {
      const hw = client(cmd);
      const since = parseSince(o.since);
      const until = o.until ? parseSince(o.until) : undefined;
      let task: BackgroundTaskOut | null = null;
      try {
        task = await hw.endpoint.recover(app, endpoint, { since, ...(until && { until }) });
      } catch (err) {
        if (!isMissingRoute(err)) throw err;
      }
      const result = task ? await followTask(hw, task) : await recoverLocally(hw, app, endpoint, since, until);
      report(cmd, result);
      if ((result.failed as number) > 0) process.exitCode = 1;
    });
}

/** 404 from the router itself (the route does not exist), as opposed to an entity not found. */
export function isMissingRoute(err: unknown): boolean {
  return err instanceof HookwayApiError && err.status === 404 && err.detail.startsWith('No route');
}

async function followTask(hw: Hookway, first: BackgroundTaskOut): Promise<Record<string, unknown>> {
  // The answer to POST names the task; its total is known from the first poll.
  let task = typeof first.total === 'number' ? first : await hw.backgroundTask.get(first.id);
  const bar = progress('recover', typeof task.total === 'number' ? task.total : null);
  for (;;) {
    bar.update(Number(task.done ?? 0), Number(task.failed ?? 0));
    if (TERMINAL.has(String(task.status))) break;
    await sleep(500);
    task = await hw.backgroundTask.get(task.id);
  }
  bar.end();
  return { task: task.id, status: task.status, total: task.total, done: task.done, failed: task.failed ?? 0 };
}

async function recoverLocally(
  hw: Hookway,
  app: string,
  endpoint: string,
  since: string,
  until: string | undefined,
): Promise<Record<string, unknown>> {
  // Failed attempts, oldest first; a message retried several times is resent once.
  const msgIds = new Set<string>();
  for await (const a of paginate((it) =>
    hw.messageAttempt.listByEndpoint(app, endpoint, {
      status: 2,
      after: since,
      ...(until && { before: until }),
      limit: 250,
      order: 'ascending',
      iterator: it ?? null,
    }),
  )) {
    msgIds.add(a.msgId);
  }
  const bar = progress('recover', msgIds.size);
  let done = 0;
  let failed = 0;
  for (const msg of msgIds) {
    try {
      await hw.messageAttempt.resend(app, msg, endpoint);
      done++;
    } catch {
      failed++;
    }
    bar.update(done + failed, failed);
  }
  bar.end();
  return { status: 'finished', total: msgIds.size, done, failed };
}

function report(cmd: Command, result: Record<string, unknown>): void {
  if (globals(cmd).json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const errors = (result.errors as string[] | undefined) ?? [];
    for (const e of errors) note(`  ${e}`);
    process.stdout.write(
      `${Object.entries(result)
        .filter(([k]) => k !== 'errors')
        .map(([k, v]) => `${k}: ${v}`)
        .join('  ')}\n`,
    );
  }
}
