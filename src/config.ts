import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { DEFAULT_RETRY_SCHEDULE, parseSchedule } from './core/retry.js';

/**
 * Every setting, parsed and validated in one place (docs/configuration.md
 * lists them). Nothing else reads process.env.
 */
export interface Config {
  databaseUrl: string;
  /** PostgreSQL schema holding Hookway's tables (lets several instances or tests share a database). */
  databaseSchema: string;
  /** Where generated files live (master key); the SQLite file's directory by default. */
  dataDir: string;
  host: string;
  port: number;
  /** The URL users reach Hookway at; used in ingest URLs and portal links. */
  publicUrl: string;
  /** True when HOOKWAY_PUBLIC_URL was given; otherwise publicUrl follows the address actually bound. */
  publicUrlSet: boolean;
  adminToken: string | undefined;
  masterKey: string | undefined;
  role: 'api' | 'worker' | 'all';
  allowedTargets: string[];
  httpsOnly: boolean;
  proxyUrl: string | undefined;
  retrySchedule: number[];
  logLevel: string;
  /** `auto`: readable lines on a terminal, JSON otherwise (pipes, files, containers). */
  logFormat: 'auto' | 'json' | 'pretty';
  /** Largest accepted request body, bytes (Svix: 2 MB). */
  bodyLimit: number;
  /** Deliveries in flight per endpoint on one node, so one slow endpoint cannot take every worker. */
  endpointConcurrency: number;
  /** Deliveries in flight on one node in total. */
  workerConcurrency: number;
  /** Payload bytes the deliveries held on one node may add up to (see delivery/lanes.ts). */
  workerMemoryBytes: number;
  defaultTimeoutMs: number;
  idempotencyTtlMs: number;
  /** Floor of the dispatcher's wake-ups; new messages wake it at once. */
  pollIntervalMs: number;
  leaseMs: number;
  /** Threads that send (0: send on the main thread). */
  senderThreads: number;
  /** On SIGTERM, how long sends already started may take to finish before they are cut off, ms. */
  shutdownGraceMs: number;
  /** Requests per second one API key may make (token bucket; 0 turns the limit off). */
  apiRateLimit: number;
  /** Requests one API key may make at once before the rate applies. */
  apiRateBurst: number;
  /** Requests per second one inbound source accepts on /in (0 turns the limit off). */
  ingestRateLimit: number;
  ingestRateBurst: number;
  /** Deepest JSON nesting a request body may have. */
  maxJsonDepth: number;
  /** Most request headers, and their total size in bytes. */
  maxHeadersCount: number;
  maxHeaderSize: number;
  /** Time a client has to send its request headers (slowloris), ms. */
  headersTimeoutMs: number;
  /** Default lifetime of an app portal token, seconds (Svix: 7 days). */
  portalTokenTtlSeconds: number;
  // Operations (docs/operations.md)
  /** HOOKWAY_DISABLE_AFTER_FAILING_SECONDS: an endpoint failing (a message exhausted, no success since) this long is disabled (default 5 days). */
  disableAfterFailingSeconds: number;
  /** HOOKWAY_DISABLE_AFTER_EXHAUSTED: also disable after this many consecutive exhausted messages (0, the default, turns it off). */
  disableAfterExhausted: number;
  /** HOOKWAY_FAILURE_NOTIFY_COUNT: consecutive failed attempts that emit the `endpoint.failing` operational webhook (default 5; 0 off). */
  failureNotifyCount: number;
  /** HOOKWAY_BREAKER_MIN_ATTEMPTS / _FAILURE_PERCENT / _WINDOW_SECONDS: the circuit opens when an endpoint had at least this many attempts in the window and this share failed. */
  breakerMinAttempts: number;
  breakerFailurePercent: number;
  breakerWindowSeconds: number;
  /** HOOKWAY_BREAKER_PROBE_SECONDS: while open, one probe is let through this often (default 10). */
  breakerProbeSeconds: number;
  /** HOOKWAY_METRICS_PUBLIC: serve /metrics without the admin token. */
  metricsPublic: boolean;
  /** HOOKWAY_PAYLOAD_RETENTION_DAYS: payloads are dropped this long after creation unless the message asked for less (default 90). */
  payloadRetentionDays: number;
  /** HOOKWAY_PRUNE_INTERVAL_SECONDS: how often the retention job runs (default 3600). */
  pruneIntervalSeconds: number;
  /** HOOKWAY_TRANSFORM_TIMEOUT_MS: time limit of an endpoint transformation (default 50). */
  transformTimeoutMs: number;
  /** HOOKWAY_TASK_STALE_SECONDS: a running task whose node has not reported for this long is adopted by another (default 60). */
  taskStaleSeconds: number;
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

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const v = env[name];
  if (!v) return fallback;
  if (!(values as readonly string[]).includes(v))
    throw new Error(`${name} must be one of ${values.join(', ')}, got "${v}"`);
  return v as T;
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
    databaseSchema: env.HOOKWAY_DATABASE_SCHEMA || 'public',
    dataDir: resolve(env.HOOKWAY_DATA_DIR || (sqlitePath ? dirname(sqlitePath) : './data')),
    host,
    port,
    publicUrl: (env.HOOKWAY_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(
      /\/$/,
      '',
    ),
    publicUrlSet: Boolean(env.HOOKWAY_PUBLIC_URL),
    adminToken: env.HOOKWAY_ADMIN_TOKEN || undefined,
    masterKey: env.HOOKWAY_MASTER_KEY || undefined,
    role,
    allowedTargets: list(env, 'HOOKWAY_ALLOWED_TARGETS'),
    httpsOnly: bool(env, 'HOOKWAY_HTTPS_ONLY'),
    proxyUrl: env.HOOKWAY_PROXY_URL || undefined,
    retrySchedule: env.HOOKWAY_RETRY_SCHEDULE ? parseSchedule(env.HOOKWAY_RETRY_SCHEDULE) : [...DEFAULT_RETRY_SCHEDULE],
    logLevel: env.HOOKWAY_LOG_LEVEL || 'info',
    logFormat: oneOf(env, 'HOOKWAY_LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto'),
    bodyLimit: int(env, 'HOOKWAY_BODY_LIMIT', 2 * 1024 * 1024, 1024),
    endpointConcurrency: int(env, 'HOOKWAY_ENDPOINT_CONCURRENCY', 16, 1),
    // 1024, not 256: a fan-out of 64 messages in flight to 10 endpoints is 640 deliveries, and what
    // did not fit was created pending and claimed back (claim statements were 12% of the main
    // thread). Measured, 3,000 messages x 10 endpoints, alternating: 3-22% more deliveries/s in 5
    // of 6 pairs (-2% in the sixth). The byte cap below keeps large payloads from making the count a memory risk.
    workerConcurrency: int(env, 'HOOKWAY_WORKER_CONCURRENCY', 1024, 1),
    workerMemoryBytes: int(env, 'HOOKWAY_WORKER_MEMORY_MB', 64, 1) * 1024 * 1024,
    defaultTimeoutMs: int(env, 'HOOKWAY_TIMEOUT_MS', 15_000, 100),
    idempotencyTtlMs: int(env, 'HOOKWAY_IDEMPOTENCY_TTL_MS', 12 * 3600 * 1000, 1000),
    pollIntervalMs: int(env, 'HOOKWAY_POLL_INTERVAL_MS', 1000, 10),
    leaseMs: int(env, 'HOOKWAY_LEASE_MS', 60_000, 1000),
    // One sender thread wherever there is a second core to run it (see delivery/sender-thread.ts).
    senderThreads: int(env, 'HOOKWAY_SENDER_THREADS', availableParallelism() > 1 ? 1 : 0),
    shutdownGraceMs: int(env, 'HOOKWAY_SHUTDOWN_GRACE_MS', 10_000),
    apiRateLimit: int(env, 'HOOKWAY_API_RATE_LIMIT', 10_000),
    apiRateBurst: int(env, 'HOOKWAY_API_RATE_BURST', Math.max(1, 2 * int(env, 'HOOKWAY_API_RATE_LIMIT', 10_000)), 1),
    ingestRateLimit: int(env, 'HOOKWAY_INGEST_RATE_LIMIT', 10_000),
    ingestRateBurst: int(
      env,
      'HOOKWAY_INGEST_RATE_BURST',
      Math.max(1, 2 * int(env, 'HOOKWAY_INGEST_RATE_LIMIT', 10_000)),
      1,
    ),
    maxJsonDepth: int(env, 'HOOKWAY_MAX_JSON_DEPTH', 64, 1),
    maxHeadersCount: int(env, 'HOOKWAY_MAX_HEADERS', 200, 10),
    maxHeaderSize: int(env, 'HOOKWAY_MAX_HEADER_SIZE', 32 * 1024, 1024),
    headersTimeoutMs: int(env, 'HOOKWAY_HEADERS_TIMEOUT_MS', 15_000, 100),
    portalTokenTtlSeconds: int(env, 'HOOKWAY_PORTAL_TOKEN_TTL', 7 * 24 * 3600, 60),
    disableAfterFailingSeconds: int(env, 'HOOKWAY_DISABLE_AFTER_FAILING_SECONDS', 5 * 24 * 3600, 1),
    disableAfterExhausted: int(env, 'HOOKWAY_DISABLE_AFTER_EXHAUSTED', 0),
    failureNotifyCount: int(env, 'HOOKWAY_FAILURE_NOTIFY_COUNT', 5),
    breakerMinAttempts: int(env, 'HOOKWAY_BREAKER_MIN_ATTEMPTS', 10, 1),
    breakerFailurePercent: int(env, 'HOOKWAY_BREAKER_FAILURE_PERCENT', 90, 1),
    breakerWindowSeconds: int(env, 'HOOKWAY_BREAKER_WINDOW_SECONDS', 60, 1),
    breakerProbeSeconds: int(env, 'HOOKWAY_BREAKER_PROBE_SECONDS', 10, 1),
    metricsPublic: bool(env, 'HOOKWAY_METRICS_PUBLIC'),
    payloadRetentionDays: int(env, 'HOOKWAY_PAYLOAD_RETENTION_DAYS', 90, 1),
    pruneIntervalSeconds: int(env, 'HOOKWAY_PRUNE_INTERVAL_SECONDS', 3600, 1),
    transformTimeoutMs: int(env, 'HOOKWAY_TRANSFORM_TIMEOUT_MS', 50, 1),
    taskStaleSeconds: int(env, 'HOOKWAY_TASK_STALE_SECONDS', 60, 1),
    ...overrides,
  };
  return config;
}

export function sqlitePathOf(config: Config): string | undefined {
  return config.databaseUrl.startsWith('sqlite:') ? resolve(config.databaseUrl.slice('sqlite:'.length)) : undefined;
}
