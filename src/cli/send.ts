import type { Command } from 'commander';
import { fromSvixStatus } from '../core/svix-status.js';
import type { AttemptOut } from '../sdk/types.js';
import { type Column, client, globals, parseSince, print } from './context.js';
import { messageColumns, sendMessage } from './resources.js';

/** Why an attempt failed: `network: connect ECONNREFUSED …`, `http_error: HTTP 500`; empty when it succeeded. */
export const attemptError = (a: AttemptOut): string =>
  a.status === 2 ? `${a.errorKind ?? 'error'}${a.errorDetail ? `: ${a.errorDetail}` : ''}` : '';

/** `hookway send <app> <eventType> --data @file.json` and `hookway attempts <app> <msg>`. */
export const attemptColumns: Column<AttemptOut>[] = [
  ['id', (a) => a.id],
  ['endpoint', (a) => a.endpointId],
  ['status', (a) => fromSvixStatus(a.status, 'attempt')],
  ['code', (a) => a.responseStatusCode],
  ['ms', (a) => a.responseDurationMs],
  ['trigger', (a) => (a.triggerType === 1 ? 'manual' : 'scheduled')],
  ['timestamp', (a) => a.timestamp],
  ['error', attemptError, 'full'],
];

export function registerSendCommands(program: Command): void {
  program
    .command('send <app> <eventType>')
    .description('publish a message to an application')
    .requiredOption('--data <json>', 'payload: JSON, @file.json or - for stdin')
    .option('--event-id <id>', 'idempotency id of the event (a duplicate answers 409)')
    .action(async (app: string, eventType: string, o, cmd: Command) => {
      print(cmd, await sendMessage(cmd, app, eventType, o), messageColumns);
    });

  program
    .command('attempts <app> <msg>')
    .description('list the delivery attempts of a message')
    .option('--endpoint <endpoint>', 'only attempts to this endpoint')
    .option('--limit <n>', 'page size (1-250)', (v) => Number(v), 50)
    .action(async (app: string, msg: string, o, cmd: Command) => {
      const page = await client(cmd).messageAttempt.listByMsg(app, msg, {
        limit: o.limit,
        ...(o.endpoint && { endpoint_id: o.endpoint }),
      });
      print(cmd, globals(cmd).json ? (page as never) : page.data, attemptColumns);
    });
}

/** `--status` words as the API's numbers; Svix's `success` and `fail` are accepted too. */
const LOG_STATUS = new Map<string, 0 | 2>([
  ['succeeded', 0],
  ['failed', 2],
  ['success', 0],
  ['fail', 2],
]);

const logColumns: Column<AttemptOut>[] = [
  ['timestamp', (a) => a.timestamp],
  ['status', (a) => fromSvixStatus(a.status, 'attempt')],
  ['app', (a) => a.appName ?? a.appId],
  ['endpoint', (a) => a.endpointUid ?? a.endpointId],
  ['event type', (a) => a.eventType],
  ['code', (a) => a.responseStatusCode || ''],
  ['url', (a) => a.url, 'full'],
  ['error', attemptError, 'full'],
];

/** `hookway log [--app A] [--endpoint E] [--status failed] [--event-type T] [--since 1h]`: the delivery log. */
export function registerLogCommand(program: Command): void {
  program
    .command('log')
    .description('the delivery log: attempts to every endpoint, newest first, with why they failed')
    .option('--app <app>', 'one application (id or uid); default: every application (admin)')
    .option('--endpoint <endpoint>', 'one endpoint (id, or uid with --app)')
    .option('--status <status>', 'succeeded or failed')
    .option('--event-type <type>', 'one event type')
    .option('--since <when>', 'ISO date or a duration like 24h')
    .option('--limit <n>', 'page size (1-250)', (v) => Number(v), 50)
    .option('--iterator <it>', 'continue after this page iterator')
    .action(async (o, cmd: Command) => {
      const status = o.status === undefined ? undefined : LOG_STATUS.get(o.status as string);
      if (o.status !== undefined && status === undefined) throw new Error('--status must be succeeded or failed');
      const options = {
        limit: o.limit,
        ...(o.iterator && { iterator: o.iterator }),
        ...(o.endpoint && { endpoint_id: o.endpoint }),
        ...(status !== undefined && { status }),
        ...(o.eventType && { event_types: [o.eventType] }),
        ...(o.since && { after: parseSince(o.since) }),
      };
      const hw = client(cmd).messageAttempt;
      const page = o.app ? await hw.listByApp(o.app, options) : await hw.listAll(options);
      print(cmd, globals(cmd).json ? (page as never) : page.data, logColumns);
    });
}
