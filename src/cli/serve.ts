import { loadConfig } from '../config.js';
import { startHookway, VERSION } from '../server.js';
import { tracingRequested } from '../tracing/env.js';

/** `hookway serve`: start, print where and what, stop cleanly on SIGINT/SIGTERM. */
export async function serve(opts: { role?: string; port?: string; host?: string }): Promise<void> {
  const env = { ...process.env };
  if (opts.role) env.HOOKWAY_ROLE = opts.role;
  if (opts.port) env.HOOKWAY_PORT = opts.port;
  if (opts.host) env.HOOKWAY_HOST = opts.host;
  const config = loadConfig(env);
  // Before the server is built, so its Fastify instance is instrumented.
  const tracing = tracingRequested(env) ? (await import('../tracing/sdk.js')).startTracing({ env }) : null;
  const hw = await startHookway(config);
  const out = process.stdout;
  out.write(`\nHookway ${VERSION} is running (role: ${config.role})\n`);
  if (hw.url) {
    out.write(`  Dashboard:  ${hw.url}/\n`);
    out.write(`  API:        ${hw.url}/api/v1\n`);
  }
  out.write(`  Database:   ${hw.database}\n`);
  if (tracing) out.write('  Tracing:    on (OpenTelemetry, configured by OTEL_* variables)\n');
  if (hw.generatedAdminToken) {
    out.write(`  Admin token (shown once, keep it safe):\n    ${hw.generatedAdminToken}\n`);
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
    await tracing?.shutdown().catch((err: unknown) => hw.log.warn({ err }, 'could not flush traces'));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
