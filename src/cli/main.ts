#!/usr/bin/env node
import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { createCipher } from '../core/cipher.js';
import { HookwayApiError } from '../sdk/http.js';
import { VERSION } from '../server.js';
import { loadMasterKey } from '../store/master-key.js';
import { describeDatabase, openStore } from '../store/open.js';
import { registerExportCommand } from './export.js';
import { registerKeyCommands } from './keys.js';
import { registerListenCommand } from './listen.js';
import { registerLoginCommand } from './login.js';
import { registerMasterKeyCommand } from './master-key.js';
import { registerReplayCommands } from './replay.js';
import { registerResourceCommands } from './resources.js';
import { registerLogCommand, registerSendCommands } from './send.js';
import { serve } from './serve.js';
import { registerVerifyCommand } from './verify.js';

const program = new Command();
program.name('hookway').description('Self-hosted webhook gateway').version(VERSION);
// Client options, valid before or after any subcommand (see src/cli/context.ts).
program
  .option('--url <url>', 'server URL (default: HOOKWAY_URL, `hookway login`, or http://127.0.0.1:8040)')
  .option('--token <token>', 'API token (default: HOOKWAY_TOKEN or `hookway login`)')
  .option('--json', 'print JSON for scripts instead of tables')
  .addOption(new Option('--stats', 'print peak memory on exit (tests)').hideHelp());

program
  .command('serve')
  .description('run the API and the delivery workers')
  .option('--role <role>', 'api, worker or all (default: HOOKWAY_ROLE or all)')
  .option('--port <port>', 'port to listen on (default: HOOKWAY_PORT or 8040)')
  .option('--host <host>', 'address to listen on (default: HOOKWAY_HOST or 127.0.0.1)')
  .action(serve);

program
  .command('migrate')
  .description('apply pending database migrations and exit')
  .action(async () => {
    const config = loadConfig();
    const store = await openStore(config, createCipher(loadMasterKey(config).keys));
    const { applied } = await store.migrate();
    await store.close();
    process.stdout.write(
      applied.length
        ? `Applied ${applied.join(', ')} to ${describeDatabase(config)}\n`
        : `${describeDatabase(config)} is up to date\n`,
    );
  });

registerResourceCommands(program);
registerSendCommands(program);
registerLogCommand(program);
registerReplayCommands(program);
registerExportCommand(program);
registerVerifyCommand(program);
registerKeyCommands(program);
registerLoginCommand(program);
registerListenCommand(program);
registerMasterKeyCommand(program);

program.hook('postAction', () => {
  if (program.opts().stats) {
    process.stderr.write(`hookway-stats ${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
  }
});

program.parseAsync().catch((err: Error) => {
  // A server never reached is most often one not started, or another URL.
  const hint =
    err instanceof HookwayApiError && err.code === 'network_error'
      ? '\nIs the server running (`hookway serve`)? Point the CLI at it with HOOKWAY_URL or --url.'
      : '';
  process.stderr.write(`hookway: ${err.message}${hint}\n`);
  process.exit(1);
});
