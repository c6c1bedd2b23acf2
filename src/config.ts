import { dirname, resolve } from 'node:path';
import { DEFAULT_RETRY_SCHEDULE, parseSchedule } from './core/retry.js';

/**
 * Every setting, parsed and validated in one place (docs/configuration.md
 * lists them). Nothing else reads process.env.
 */
export interface Config {
  databaseUrl: string;
  /** Where generated files live (master key); the SQLite file's directory by default. */
  dataDir: string;
  host: string;
  port: number;
  /** The URL users reach Hookway at; used in ingest URLs and portal links. */
  publicUrl: string;
  adminToken: string | undefined;
  masterKey: string | undefined;
  role: 'api' | 'worker' | 'all';
  allowedTargets: string[];
  httpsOnly: boolean;
  proxyUrl: string | undefined;
  retrySchedule: number[];
  logLevel: string;
  /** Largest accepted request body, bytes (Svix: 2 MB). */
  bodyLimit: number;
  /** Deliveries in flight per endpoint on one node, so one slow endpoint cannot take every worker. */
  endpointConcurrency: number;
  /** Deliveries in flight on one node in total. */
  workerConcurrency: number;
  defaultTimeoutMs: number;
  idempotencyTtlMs: number;
  /** Floor of the dispatcher's wake-ups; new messages wake it at once. */
  pollIntervalMs: number;
  leaseMs: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function bool(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').toLowerCase();
  return raw === '1' || raw === 'true' || raw === 'yes';
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.HOOKWAY_DATABASE_URL || 'sqlite:./data/hookway.db';
  if (!databaseUrl.startsWith('sqlite:') && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`HOOKWAY_DATABASE_URL must be sqlite:PATH or postgres://..., got "${databaseUrl}"`);
  }
  const sqlitePath = databaseUrl.startsWith('sqlite:') ? resolve(databaseUrl.slice('sqlite:'.length)) : undefined;
  const role = env.HOOKWAY_ROLE || 'all';
  if (role !== 'api' && role !== 'worker' && role !== 'all') throw new Error(`HOOKWAY_ROLE must be api, worker or all`);
  const host = env.HOOKWAY_HOST || '127.0.0.1';
  const port = int(env, 'HOOKWAY_PORT', 8040);
  const config: Config = {
    databaseUrl,
    dataDir: resolve(env.HOOKWAY_DATA_DIR || (sqlitePath ? dirname(sqlitePath) : './data')),
    host,
    port,
    publicUrl: (env.HOOKWAY_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(
      /\/$/,
      '',
    ),
    adminToken: env.HOOKWAY_ADMIN_TOKEN || undefined,
    masterKey: env.HOOKWAY_MASTER_KEY || undefined,
    role,
    allowedTargets: list(env, 'HOOKWAY_ALLOWED_TARGETS'),
    httpsOnly: bool(env, 'HOOKWAY_HTTPS_ONLY'),
    proxyUrl: env.HOOKWAY_PROXY_URL || undefined,
    retrySchedule: env.HOOKWAY_RETRY_SCHEDULE ? parseSchedule(env.HOOKWAY_RETRY_SCHEDULE) : [...DEFAULT_RETRY_SCHEDULE],
    logLevel: env.HOOKWAY_LOG_LEVEL || 'info',
    bodyLimit: int(env, 'HOOKWAY_BODY_LIMIT', 2 * 1024 * 1024, 1024),
    endpointConcurrency: int(env, 'HOOKWAY_ENDPOINT_CONCURRENCY', 16, 1),
    workerConcurrency: int(env, 'HOOKWAY_WORKER_CONCURRENCY', 256, 1),
    defaultTimeoutMs: int(env, 'HOOKWAY_TIMEOUT_MS', 15_000, 100),
    idempotencyTtlMs: int(env, 'HOOKWAY_IDEMPOTENCY_TTL_MS', 12 * 3600 * 1000, 1000),
    pollIntervalMs: int(env, 'HOOKWAY_POLL_INTERVAL_MS', 1000, 10),
    leaseMs: int(env, 'HOOKWAY_LEASE_MS', 60_000, 1000),
    ...overrides,
  };
  return config;
}

export function sqlitePathOf(config: Config): string | undefined {
  return config.databaseUrl.startsWith('sqlite:') ? resolve(config.databaseUrl.slice('sqlite:'.length)) : undefined;
}
