import type { Command } from 'commander';
import type { Json } from '../sdk/types.js';
import { type Column, client, globals, note, print } from './context.js';

/** `hookway keys create|list|revoke`: API keys (the routes under /api/v1/auth/keys). */
const keyColumns: Column<Json>[] = [
  ['id', (k) => k.id],
  ['name', (k) => k.name],
  ['prefix', (k) => k.prefix],
  ['scopes', (k) => k.scopes],
  ['last used', (k) => k.lastUsedAt],
  ['expires', (k) => k.expiresAt],
];

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('API keys');
  keys
    .command('list')
    .description('list API keys (tokens are never shown again)')
    .action(async (_o, cmd: Command) => {
      const res = await client(cmd).keys.list();
      const rows = Array.isArray(res) ? res : res.data;
      print(cmd, globals(cmd).json ? (res as never) : rows, keyColumns);
    });
  keys
    .command('create <name>')
    .description('create an API key; the token is printed once')
    .option('--scope <scope>', 'admin, app:<app_id> or ingest:<source_id>; repeatable', collect, [])
    .option('--expires <date>', 'ISO date after which the key stops working')
    .action(async (name: string, o, cmd: Command) => {
      const key = await client(cmd).keys.create({
        name,
        scopes: o.scope.length > 0 ? o.scope : ['admin'],
        ...(o.expires && { expiresAt: o.expires }),
      });
      if (globals(cmd).json) process.stdout.write(`${JSON.stringify(key, null, 2)}\n`);
      else {
        print(cmd, key, keyColumns);
        if (key.token) note(`\nToken (shown once, keep it safe):\n  ${key.token}`);
      }
    });
  keys
    .command('revoke <id>')
    .description('revoke an API key')
    .action(async (id: string, _o, cmd: Command) => {
      await client(cmd).keys.revoke(id);
      if (globals(cmd).json) process.stdout.write(`${JSON.stringify({ revoked: id })}\n`);
      else note(`Revoked ${id}`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
