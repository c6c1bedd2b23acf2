import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Hookway } from '../sdk/client.js';
import { configFilePath, DEFAULT_URL, globals, writeConfigFile } from './context.js';

/**
 * `hookway login --url URL --token TOKEN`: checks the token against the
 * server, then saves both to ~/.config/hookway/config.json (mode 600).
 * HOOKWAY_URL and HOOKWAY_TOKEN still win over the file.
 */
export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('save the server URL and a token for the other commands')
    .option('--token-stdin', 'read the token from stdin (keeps it out of shell history)')
    .option('--no-check', 'save without checking the token')
    .action(async (o, cmd: Command) => {
      const g = globals(cmd);
      const url = (g.url || process.env.HOOKWAY_URL || DEFAULT_URL).replace(/\/+$/, '');
      const token = (o.tokenStdin ? readFileSync(0, 'utf8') : g.token || process.env.HOOKWAY_TOKEN || '').trim();
      if (!token) throw new Error('give a token: --token TOKEN or --token-stdin');
      if (o.check) await new Hookway(token, { serverUrl: url }).application.list({ limit: 1 });
      const file = configFilePath();
      writeConfigFile({ url, token }, file);
      if (g.json) process.stdout.write(`${JSON.stringify({ url, file })}\n`);
      else process.stdout.write(`Logged in to ${url} (saved to ${file})\n`);
    });
}
