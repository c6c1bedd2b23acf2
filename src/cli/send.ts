import type { Command } from 'commander';
import type { AttemptOut } from '../sdk/types.js';
import { type Column, client, globals, print } from './context.js';
import { messageColumns, sendMessage } from './resources.js';

/** `hookway send <app> <eventType> --data @file.json` and `hookway attempts <app> <msg>`. */
export const attemptColumns: Column<AttemptOut>[] = [
  ['id', (a) => a.id],
  ['endpoint', (a) => a.endpointId],
  ['status', (a) => a.statusText ?? a.status],
  ['code', (a) => a.responseStatusCode],
  ['ms', (a) => a.responseDurationMs],
  ['trigger', (a) => (a.triggerType === 1 ? 'manual' : 'scheduled')],
  ['timestamp', (a) => a.timestamp],
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
