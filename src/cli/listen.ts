import type { Command } from 'commander';
import { generateSecret, isValidSecret } from '../core/signing.js';
import { type ForwardResult, listen } from '../listen/client.js';
import { client, globals, note } from './context.js';

/**
 * `hookway listen --app APP --endpoint EP --forward-to http://localhost:3000/webhooks`:
 * forwards the endpoint's messages to a local URL, without a public tunnel.
 * One line per event on stdout (`--json`: one JSON object per line).
 */
export function registerListenCommand(program: Command): void {
  program
    .command('listen')
    .description('forward the messages of an endpoint, or the events of an inbound source, to a local URL')
    .requiredOption('--forward-to <url>', 'local URL to POST each message to')
    .option('--app <app>', 'application (id or uid)')
    .option('--endpoint <endpoint>', 'endpoint whose messages are forwarded (its filters apply)')
    .option('--source <source>', 'inbound source whose events are forwarded')
    .option('--secret <whsec>', 'with --source: the secret that signs forwarded events (default: a new one, printed)')
    .option('--after <msg_id>', 'start after this message id (0: from the first); default: from now')
    .action(async (o, cmd: Command) => {
      if (!o.source && (!o.app || !o.endpoint)) throw new Error('give --app and --endpoint, or --source');
      let target: { app: string; endpoint: string } | { source: string; secret: string };
      if (o.source) {
        // Like `stripe listen`: events are signed with a secret the local code verifies with.
        const secret: string = o.secret ?? generateSecret();
        if (o.secret && !isValidSecret(secret)) throw new Error('--secret must be whsec_ + base64 of 24 to 64 bytes');
        if (!o.secret) note(`Signing forwarded events with ${secret} (pass --secret to choose it)`);
        target = { source: o.source, secret };
      } else {
        target = { app: o.app, endpoint: o.endpoint };
      }
      const json = globals(cmd).json === true;
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await listen({
        hw: client(cmd, { timeoutMs: 0 }),
        target,
        forwardTo: o.forwardTo,
        after: o.after,
        signal: controller.signal,
        onNotice: note,
        onForward: (r) => process.stdout.write(`${json ? JSON.stringify(jsonLine(r)) : textLine(r)}\n`),
      });
    });
}

function textLine(r: ForwardResult): string {
  const outcome = r.status === null ? `error ${r.error}` : String(r.status);
  return `${new Date().toISOString()}  ${r.msg.eventType}  ${r.msg.id}  -> ${outcome} (${r.durationMs} ms)`;
}

function jsonLine(r: ForwardResult) {
  return { id: r.msg.id, eventType: r.msg.eventType, status: r.status, durationMs: r.durationMs, error: r.error };
}
