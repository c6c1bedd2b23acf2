import { loadConfig } from '../config.js';
import { type Hookway, startHookway, VERSION } from '../server.js';
import { tracingRequested } from '../tracing/env.js';
import type { Tracing } from '../tracing/sdk.js';

/** `hookway serve`: start, print where and what, stop cleanly on SIGINT/SIGTERM. */
export async function serve(opts: { role?: string; port?: string; host?: string }): Promise<void> {
  const env = { ...process.env };
  if (opts.role) env.HOOKWAY_ROLE = opts.role;
  if (opts.port) env.HOOKWAY_PORT = opts.port;
  if (opts.host) env.HOOKWAY_HOST = opts.host;
  const config = loadConfig(env);
  // Before the server is built, so its Fastify instance is instrumented.
  const tracing = tracingRequested(env) ? (await import('../tracing/sdk.js')).startTracing({ env }) : null;
  let hw: Hookway;
  try {
    hw = await startHookway(config);
  } catch (err) {
    await tracing?.shutdown().catch(() => undefined);
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
  if (tracing) out.write('  Tracing:    on (OpenTelemetry, configured by OTEL_* variables)\n');
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
  handleShutdown(hw, config.shutdownGraceMs, tracing);
}

/**
 * SIGTERM/SIGINT: stop accepting requests, let started sends finish within the
 * grace period, hand back the deliveries held but not started, flush pending
 * records and traces, exit 0. A second signal, or the grace period plus a margin for the
 * flush, exits at once (1): nothing acknowledged is lost either way, since a
 * 2xx is only answered after its commit.
 */
function handleShutdown(hw: Hookway, graceMs: number, tracing: Tracing | null): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      hw.log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    hw.log.info({ signal, graceMs }, 'shutting down: no new requests; started sends may finish');
    setTimeout(() => {
      hw.log.error({ graceMs: graceMs + FLUSH_MARGIN_MS }, 'shutdown took too long: exiting now');
      process.exit(1);
    }, graceMs + FLUSH_MARGIN_MS).unref();
    hw.close().then(
      async () => {
        hw.log.info('shut down cleanly');
        await tracing?.shutdown().catch((err: unknown) => hw.log.warn({ err }, 'could not flush traces'));
        process.exit(0);
      },
      (err: unknown) => {
        hw.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Time beyond the grace period for closing the API and flushing records. */
const FLUSH_MARGIN_MS = 5_000;
