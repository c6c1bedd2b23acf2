#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createCipher } from '../core/cipher.js';
import { loadMasterKey, VERSION } from '../server.js';
import { describeDatabase, openStore } from '../store/open.js';
import { serve } from './serve.js';

const program = new Command();
program.name('hookway').description('Self-hosted webhook gateway').version(VERSION);

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

program.parseAsync().catch((err: Error) => {
  process.stderr.write(`hookway: ${err.message}\n`);
  process.exit(1);
});
