import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type Config, loadConfig } from '../../src/config.js';
import { type Hookway, startHookway } from '../../src/server.js';

export const TEST_TOKEN = 'hw_test_admin_token_0123456789abcdef0123456789';

/** Which database a server test runs on: HOOKWAY_TEST_DB=postgres switches the suite. */
export function testDatabaseUrl(dir: string): string {
  return `sqlite:${join(dir, 'hookway.db')}`;
}

/** A fresh PostgreSQL schema for one server test; dropped by close(). */
export async function freshPgSchema(
  label: string,
): Promise<{ url: string; schema: string; drop: () => Promise<void> }> {
  const { TEST_DATABASE_URL, schemaName, dropSchema } = await import('./pg.js');
  const schema = schemaName(label);
  return { url: TEST_DATABASE_URL, schema, drop: () => dropSchema(schema) };
}

export interface TestServer {
  hw: Hookway;
  url: string;
  token: string;
  dir: string;
  close(): Promise<void>;
}

/** A real Hookway on a random port with a temp SQLite file, allowed to deliver to loopback. */
export async function startTestServer(
  overrides: Partial<Config> = {},
  env: Record<string, string> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-test-'));
  const pgSchema = env.HOOKWAY_TEST_DB === 'postgres' ? await freshPgSchema('server') : null;
  const config = loadConfig(
    {
      HOOKWAY_DATABASE_URL: pgSchema ? pgSchema.url : testDatabaseUrl(dir),
      ...(pgSchema && { HOOKWAY_DATABASE_SCHEMA: pgSchema.schema }),
      // On PostgreSQL too, its own data dir (master key), never the project's shared ./data.
      ...(pgSchema && { HOOKWAY_DATA_DIR: dir }),
      HOOKWAY_PORT: '0',
      HOOKWAY_ADMIN_TOKEN: TEST_TOKEN,
      HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8,::1/128',
      HOOKWAY_RETRY_SCHEDULE: '1,1,1',
      HOOKWAY_POLL_INTERVAL_MS: '200',
      // Sends cross to a sender thread as in production on 2+ cores, whatever this machine has:
      // every test that watches attempts, metrics or traces also proves they survive the thread.
      HOOKWAY_SENDER_THREADS: '1',
      ...env,
    },
    overrides,
  );
  const hw = await startHookway(config, {
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  return {
    hw,
    url: hw.url ?? '',
    token: TEST_TOKEN,
    dir,
    async close() {
      await hw.close();
      await pgSchema?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls the API with the admin token; returns status and parsed JSON (or null). */
export async function api(
  server: { url: string; token: string },
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
