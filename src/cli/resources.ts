import type { Command } from 'commander';
import type { ApplicationOut, EndpointOut, EventTypeOut, Json, MessageOut } from '../sdk/types.js';
import { type Column, client, globals, note, print, readJsonArg } from './context.js';

/**
 * `hookway apps|endpoints|event-types|messages|sources list/create/get/delete`:
 * thin wrappers over the SDK. Tables show the columns people scan for;
 * `--json` prints the API's objects unchanged.
 */
const appColumns: Column<ApplicationOut>[] = [
  ['id', (a) => a.id],
  ['uid', (a) => a.uid],
  ['name', (a) => a.name],
  ['created', (a) => a.createdAt],
  // Hookway's own applications (operational webhooks, inbound sources) say so.
  ['internal', (a) => a.internal ?? ''],
];
const endpointColumns: Column<EndpointOut>[] = [
  ['id', (e) => e.id],
  ['uid', (e) => e.uid],
  ['url', (e) => e.url, 'full'],
  ['filter types', (e) => e.filterTypes ?? '*'],
  ['fifo', (e) => (e.fifo ? 'yes' : '')],
  ['status', (e) => (e.failure ? `${e.status} (${e.failure.state})` : e.status)],
];
const eventTypeColumns: Column<EventTypeOut>[] = [
  ['name', (e) => e.name],
  ['description', (e) => e.description],
  ['archived', (e) => e.archived],
];
export const messageColumns: Column<MessageOut>[] = [
  ['id', (m) => m.id],
  ['event type', (m) => m.eventType],
  ['event id', (m) => m.eventId],
  ['timestamp', (m) => m.timestamp],
  // The state of its deliveries (list and get answer it; a new message has none yet).
  ['delivery', (m) => m.deliveryStatus?.replace('_', ' ')],
];
const sourceColumns: Column<Json>[] = [
  ['id', (s) => s.id],
  ['uid', (s) => s.uid],
  ['name', (s) => s.name],
  ['type', (s) => s.hookwayType ?? s.type],
  ['ingest url', (s) => s.ingestUrl],
];

const limitOpt = (c: Command) =>
  c
    .option('--limit <n>', 'page size (1-250)', (v) => Number(v), 50)
    .option('--iterator <it>', 'continue after this page iterator');

function deleted(cmd: Command, what: string, id: string): void {
  if (globals(cmd).json) process.stdout.write(`${JSON.stringify({ deleted: id })}\n`);
  else note(`Deleted ${what} ${id}`);
}

export function registerResourceCommands(program: Command): void {
  const apps = program.command('apps').description('applications: the tenants you send to');
  limitOpt(apps.command('list').description('list applications')).action(async (o, cmd: Command) => {
    const page = await client(cmd).application.list({ limit: o.limit, iterator: o.iterator });
    print(cmd, globals(cmd).json ? (page as never) : page.data, appColumns);
  });
  apps
    .command('create <name>')
    .description('create an application')
    .option('--uid <uid>', 'your own id for it')
    .option('--metadata <json>', 'metadata object (JSON, @file)')
    .action(async (name: string, o, cmd: Command) => {
      const body = { name, uid: o.uid ?? null, ...(o.metadata && { metadata: readJsonArg(o.metadata, 'metadata') }) };
      print(cmd, await client(cmd).application.create(body as never), appColumns);
    });
  apps
    .command('get <app>')
    .description('show an application (id or uid)')
    .action(async (app: string, _o, cmd: Command) => print(cmd, await client(cmd).application.get(app), appColumns));
  apps
    .command('delete <app>')
    .description('delete an application and everything in it')
    .action(async (app: string, _o, cmd: Command) => {
      await client(cmd).application.delete(app);
      deleted(cmd, 'application', app);
    });

  const endpoints = program.command('endpoints').description("endpoints: where an application's messages go");
  limitOpt(endpoints.command('list <app>').description('list the endpoints of an application')).action(
    async (app: string, o, cmd: Command) => {
      const page = await client(cmd).endpoint.list(app, { limit: o.limit, iterator: o.iterator });
      print(cmd, globals(cmd).json ? (page as never) : page.data, endpointColumns);
    },
  );
  endpoints
    .command('create <app> <url>')
    .description('create an endpoint')
    .option('--uid <uid>', 'your own id for it')
    .option('--filter-types <types>', 'comma-separated event types (a.b.* wildcards)')
    .option('--channels <channels>', 'comma-separated channels')
    .option('--description <text>', 'description')
    .option('--disabled', 'create it disabled (e.g. only for `hookway listen`)')
    .option('--fifo', 'deliver one message at a time, in creation order (see docs/fifo.md)')
    .action(async (app: string, url: string, o, cmd: Command) => {
      const split = (s?: string) => (s ? s.split(',').map((x) => x.trim()) : null);
      const ep = await client(cmd).endpoint.create(app, {
        url,
        uid: o.uid ?? null,
        filterTypes: split(o.filterTypes),
        channels: split(o.channels),
        ...(o.description && { description: o.description }),
        ...(o.disabled && { disabled: true }),
        ...(o.fifo && { fifo: true }),
      });
      print(cmd, ep, endpointColumns);
    });
  endpoints
    .command('get <app> <endpoint>')
    .description('show an endpoint')
    .action(async (app: string, ep: string, _o, cmd: Command) =>
      print(cmd, await client(cmd).endpoint.get(app, ep), endpointColumns),
    );
  endpoints
    .command('secret <app> <endpoint>')
    .description("print an endpoint's signing secret")
    .action(async (app: string, ep: string, _o, cmd: Command) => {
      const secret = await client(cmd).endpoint.getSecret(app, ep);
      if (globals(cmd).json) process.stdout.write(`${JSON.stringify(secret)}\n`);
      else process.stdout.write(`${secret.key}\n`);
    });
  endpoints
    .command('delete <app> <endpoint>')
    .description('delete an endpoint')
    .action(async (app: string, ep: string, _o, cmd: Command) => {
      await client(cmd).endpoint.delete(app, ep);
      deleted(cmd, 'endpoint', ep);
    });

  const eventTypes = program.command('event-types').description('the catalogue of event types');
  limitOpt(eventTypes.command('list').description('list event types'))
    .option('--include-archived', 'include archived event types')
    .action(async (o, cmd: Command) => {
      const page = await client(cmd).eventType.list({
        limit: o.limit,
        iterator: o.iterator,
        ...(o.includeArchived && { include_archived: true }),
      });
      print(cmd, globals(cmd).json ? (page as never) : page.data, eventTypeColumns);
    });
  eventTypes
    .command('create <name>')
    .description('create an event type')
    .option('--description <text>', 'description')
    .option('--schema <json>', 'JSON Schema payloads must match (JSON, @file)')
    .action(async (name: string, o, cmd: Command) => {
      const et = await client(cmd).eventType.create({
        name,
        description: o.description ?? '',
        ...(o.schema && { schemas: { '1': readJsonArg(o.schema, 'schema') as Record<string, unknown> } }),
      });
      print(cmd, et, eventTypeColumns);
    });
  eventTypes
    .command('get <name>')
    .description('show an event type')
    .action(async (name: string, _o, cmd: Command) =>
      print(cmd, await client(cmd).eventType.get(name), eventTypeColumns),
    );
  eventTypes
    .command('delete <name>')
    .description('archive an event type')
    .action(async (name: string, _o, cmd: Command) => {
      await client(cmd).eventType.delete(name);
      deleted(cmd, 'event type', name);
    });

  const messages = program.command('messages').description('messages published to an application');
  limitOpt(messages.command('list <app>').description('list messages, newest first'))
    .option('--event-types <types>', 'comma-separated event types')
    .action(async (app: string, o, cmd: Command) => {
      const page = await client(cmd).message.list(app, {
        limit: o.limit,
        iterator: o.iterator,
        ...(o.eventTypes && { event_types: String(o.eventTypes).split(',') }),
      });
      print(cmd, globals(cmd).json ? (page as never) : page.data, messageColumns);
    });
  messages
    .command('create <app> <eventType>')
    .description('publish a message (same as `hookway send`)')
    .requiredOption('--data <json>', 'payload: JSON, @file.json or - for stdin')
    .option('--event-id <id>', 'idempotency id of the event')
    .action(async (app: string, eventType: string, o, cmd: Command) => {
      print(cmd, await sendMessage(cmd, app, eventType, o), messageColumns);
    });
  messages
    .command('get <app> <msg>')
    .description('show a message with its payload')
    .action(async (app: string, msg: string, _o, cmd: Command) => {
      const m = await client(cmd).message.get(app, msg);
      print(cmd, m, [...messageColumns, ['payload', (x) => x.payload]]);
    });
  messages
    .command('delete <app> <msg>')
    .description('not supported: messages are an append-only log')
    .action(() => {
      throw new Error('messages cannot be deleted; retention removes old payloads');
    });

  const sources = program.command('sources').description('inbound sources: webhooks Hookway receives');
  limitOpt(sources.command('list').description('list sources')).action(async (o, cmd: Command) => {
    const page = await client(cmd).source.list({ limit: o.limit, iterator: o.iterator });
    print(cmd, globals(cmd).json ? (page as never) : page.data, sourceColumns);
  });
  sources
    .command('create <name>')
    .description('create a source; prints its ingest URL')
    .requiredOption('--type <type>', 'provider: stripe, github, openai, standard-webhooks, hmac, ...')
    .option('--uid <uid>', 'your own id for it')
    .option('--config <json>', 'provider configuration, e.g. {"secret":"whsec_..."} (JSON, @file)')
    .action(async (name: string, o, cmd: Command) => {
      const body: Json = { name, type: o.type, ...(o.uid && { uid: o.uid }) };
      if (o.config) body.config = readJsonArg(o.config, 'config');
      print(cmd, await client(cmd).source.create(body), sourceColumns);
    });
  sources
    .command('get <source>')
    .description('show a source')
    .action(async (src: string, _o, cmd: Command) => print(cmd, await client(cmd).source.get(src), sourceColumns));
  sources
    .command('delete <source>')
    .description('delete a source')
    .action(async (src: string, _o, cmd: Command) => {
      await client(cmd).source.delete(src);
      deleted(cmd, 'source', src);
    });
}

export async function sendMessage(
  cmd: Command,
  app: string,
  eventType: string,
  o: { data: string; eventId?: string },
): Promise<MessageOut> {
  const payload = readJsonArg(o.data);
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new Error('--data must be a JSON object');
  }
  return client(cmd).message.create(app, {
    eventType,
    payload: payload as Record<string, unknown>,
    ...(o.eventId && { eventId: o.eventId }),
  });
}
