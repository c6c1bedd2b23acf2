import type { Command } from 'commander';
import { generateSecret, isValidSecret } from '../core/signing.js';
import type { Hookway } from '../sdk/client.js';
import { HookwayApiError } from '../sdk/http.js';
import type { ApplicationOut, EndpointOut } from '../sdk/types.js';
import { client, globals, note } from './context.js';
import { type ForwardResult, listen } from './listen-client.js';

/** The endpoint `listen` creates when none is named: one per application, reused on the next run. */
export const LISTEN_ENDPOINT_UID = 'hookway-listen';
/**
 * Its URL is never called: the endpoint is created disabled, so the engine
 * never sends to it and `listen` reads its messages over its own connection.
 */
const LISTEN_PLACEHOLDER_URL = 'https://listen.invalid/';

/**
 * `hookway listen --app acme --forward-to http://localhost:3000/webhooks`:
 * forwards an application's messages to a local URL over the CLI's own
 * connection to Hookway (server-sent events), like `stripe listen`: Hookway
 * never connects to the local address, so no tunnel and no loopback
 * allowlist are needed. What it needs (the application, a listen-only
 * endpoint) it creates. One line per event on stdout (`--json`: one JSON
 * object per line).
 */
export function registerListenCommand(program: Command): void {
  program
    .command('listen')
    .description('forward the messages of an application, or the events of an inbound source, to a local URL')
    .requiredOption('--forward-to <url>', 'local URL to POST each message to')
    .option('--app <app>', 'application (id or uid); created when missing')
    .option(
      '--endpoint <endpoint>',
      `endpoint whose messages are forwarded (its filters apply); default: a listen-only endpoint "${LISTEN_ENDPOINT_UID}", created when missing`,
    )
    .option('--events <types>', 'comma-separated event types for the endpoint listen creates (default: all)')
    .option('--source <source>', 'inbound source whose events are forwarded')
    .option('--secret <whsec>', 'with --source: the secret that signs forwarded events (default: a new one, printed)')
    .option('--after <msg_id>', 'start after this message id (0: from the first); default: from now')
    .action(async (o, cmd: Command) => {
      if (!o.source && !o.app) throw new Error('give --app (an application id or uid), or --source');
      const hw = client(cmd, { timeoutMs: 0 });
      let target: { app: string; endpoint: string } | { source: string; secret: string };
      if (o.source) {
        // Like `stripe listen`: events are signed with a secret the local code verifies with.
        const secret: string = o.secret ?? generateSecret();
        if (o.secret && !isValidSecret(secret)) throw new Error('--secret must be whsec_ + base64 of 24 to 64 bytes');
        if (!o.secret) note(`Signing forwarded events with ${secret} (pass --secret to choose it)`);
        target = { source: o.source, secret };
      } else {
        target = await listenTarget(hw, o.app, o.endpoint, o.events, o.forwardTo);
      }
      const json = globals(cmd).json === true;
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await listen({
        hw,
        target,
        forwardTo: o.forwardTo,
        after: o.after,
        signal: controller.signal,
        onNotice: note,
        onForward: (r) => process.stdout.write(`${json ? JSON.stringify(jsonLine(r)) : textLine(r)}\n`),
      });
    });
}

/**
 * The application and endpoint to listen to, created when missing. A named
 * endpoint that does not exist is created too (listen-only, with that uid).
 * Prints the signing secret, which the local receiver verifies with.
 */
async function listenTarget(
  hw: Hookway,
  appId: string,
  endpointId: string | undefined,
  events: string | undefined,
  forwardTo: string,
): Promise<{ app: string; endpoint: string }> {
  let app: ApplicationOut;
  try {
    app = await hw.application.get(appId);
  } catch (err) {
    if (!(err instanceof HookwayApiError && err.status === 404)) throw err;
    app = await hw.application.getOrCreate({ name: appId, uid: appId });
    note(`Created application ${appId}`);
  }
  const uid = endpointId ?? LISTEN_ENDPOINT_UID;
  let endpoint: EndpointOut;
  try {
    endpoint = await hw.endpoint.get(app.id, uid);
  } catch (err) {
    if (!(err instanceof HookwayApiError && err.status === 404)) throw err;
    const filterTypes = events
      ? events
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : null;
    endpoint = await hw.endpoint.create(app.id, {
      url: LISTEN_PLACEHOLDER_URL,
      uid,
      disabled: true,
      filterTypes,
      description: `hookway listen (forwards to ${forwardTo}; never called by Hookway)`,
    });
    note(`Created listen-only endpoint ${uid} in ${app.uid ?? app.id}`);
  }
  const { key } = await hw.endpoint.getSecret(app.id, endpoint.id);
  note(`Signing secret: ${key} (verify forwarded requests with it)`);
  return { app: app.uid ?? app.id, endpoint: endpoint.uid ?? endpoint.id };
}

function textLine(r: ForwardResult): string {
  const outcome = r.status === null ? `error ${r.error}` : String(r.status);
  return `${new Date().toISOString()}  ${r.msg.eventType}  ${r.msg.id}  -> ${outcome} (${r.durationMs} ms)`;
}

function jsonLine(r: ForwardResult) {
  return { id: r.msg.id, eventType: r.msg.eventType, status: r.status, durationMs: r.durationMs, error: r.error };
}
