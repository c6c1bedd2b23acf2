import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { verifyWebhookDetailed } from '../sdk/verify.js';
import { globals } from './context.js';

/**
 * `hookway verify --secret whsec_... --headers headers.json --body body.json`:
 * checks a saved request's signature, for receivers debugging. The body file
 * is used byte for byte: it must be exactly what was received.
 */
export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description("check a saved request's Standard Webhooks signature")
    .requiredOption(
      '--secret <secret>',
      'whsec_... (HMAC) or whpk_... (ed25519 public key); repeat for several',
      collect,
      [],
    )
    .requiredOption('--headers <file>', 'JSON object of the request headers')
    .requiredOption('--body <file>', 'the raw request body')
    .option('--tolerance <seconds>', 'allowed clock difference', (v) => Number(v), 300)
    .option('--ignore-time', 'skip the timestamp check (old saved requests)')
    .action((o, cmd: Command) => {
      const headers = JSON.parse(readFileSync(o.headers, 'utf8')) as Record<string, string>;
      const body = readFileSync(o.body);
      const event = verifyWebhookDetailed(o.secret, headers, body, {
        toleranceSeconds: o.ignoreTime ? Number.POSITIVE_INFINITY : o.tolerance,
      });
      if (globals(cmd).json) {
        process.stdout.write(`${JSON.stringify({ valid: true, id: event.id, timestamp: event.timestamp })}\n`);
      } else {
        process.stdout.write(
          `Signature valid: webhook-id ${event.id}, signed at ${new Date(event.timestamp * 1000).toISOString()}\n`,
        );
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
