import { loadConfig } from '../config.js';
import { type Hookway, startHookway, VERSION } from '../server.js';

/** `hookway serve`: start, print where and what, stop cleanly on SIGINT/SIGTERM. */
export async function serve(opts: { role?: string; port?: string; host?: string }): Promise<void> {
  const env = { ...process.env };
  if (opts.role) env.HOOKWAY_ROLE = opts.role;
  if (opts.port) env.HOOKWAY_PORT = opts.port;
  if (opts.host) env.HOOKWAY_HOST = opts.host;
  const config = loadConfig(env);
  let hw: Hookway;
  try {
    hw = await startHookway(config);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const next = config.port + 1;
      throw new Error(
        `port ${config.port} on ${config.host} is already in use (another Hookway?). ` +
          `Pick another port: \`hookway serve --port ${next}\` or HOOKWAY_PORT=${next} npm start`,
      );
    }
    throw err;
  }
  const out = process.stdout;
  out.write(`\nHookway ${VERSION} is running (role: ${config.role})\n`);
  if (hw.url) {
    out.write(`  Dashboard:  ${hw.url}/\n`);
    out.write(`  API:        ${hw.url}/api/v1\n`);
  }
  out.write(`  Database:   ${hw.database}\n`);
  if (hw.generatedAdminToken) {
    // Only a person at a terminal sees it: piped output ends up in log storage.
    if (out.isTTY) {
      out.write('\n  Admin token (shown once, keep it safe). For the CLI and the SDK examples:\n\n');
      if (hw.url) out.write(`    export HOOKWAY_URL=${hw.url}\n`);
      out.write(`    export HOOKWAY_TOKEN=${hw.generatedAdminToken}\n`);
    } else {
      out.write(
        '  Admin token: generated, not printed because the output is not a terminal. Set HOOKWAY_ADMIN_TOKEN to choose one (docs/operations.md, "Lost admin token").\n',
      );
    }
  } else if (!config.adminToken) {
    out.write('  Admin token: created on first start (create more with `hookway keys create`)\n');
  }
  if (hw.masterKeyGenerated) {
    out.write(
      `  WARNING: generated a master key at ${config.dataDir}/master.key. Back it up: without it, stored secrets cannot be read.\n`,
    );
  }
  out.write('\n');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    hw.log.info({ signal }, 'shutting down');
    await hw.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
