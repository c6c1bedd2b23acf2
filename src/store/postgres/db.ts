import pg from 'pg';
import { HookwayError } from '../../core/errors.js';
import { classifyPgFault } from './faults.js';

/**
 * The connection context every operation receives (graphile-worker's
 * `withPgClient` habit): one pool whose connections all have `search_path`
 * set to the store's schema, and helpers for one-statement reads and for
 * transactions. Nothing here knows about entities.
 */

export interface Queryable {
  query<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** Connection settings for a dedicated client (LISTEN), same as the pool's. */
  readonly clientConfig: pg.ClientConfig;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T>;
  /** A small pool with synchronous_commit=off for engine bookkeeping (see createDb). */
  readonly engine: Omit<Db, 'engine' | 'end'>;
  /** Ends both pools. */
  end(): Promise<void>;
}

/** Lower-case identifiers only, so the schema never needs quoting (BullMQ's quoteSchemaName habit). */
const SCHEMA = /^[a-z_][a-z0-9_]{0,47}$/;

export function validateSchema(schema: string): string {
  if (!SCHEMA.test(schema)) {
    throw new Error(`Invalid PostgreSQL schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*, at most 48 chars`);
  }
  return schema;
}

/**
 * int8 (count(*), BIGINT times) as a JS number: every value Hookway stores
 * there is a millisecond time or a count, far below 2^53. Set on pool-local
 * type overrides so other pg users in the process keep the default.
 */
function typeOverrides(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
  return types;
}

export function createDb(opts: { url: string; schema: string; poolSize?: number | undefined }): Db {
  const schema = validateSchema(opts.schema);
  const clientConfig: pg.ClientConfig = {
    connectionString: opts.url,
    types: typeOverrides(),
    // The schema is validated above, so it is safe inside the startup options.
    options: `-c search_path=${schema}`,
    application_name: 'hookway',
  };
  const main = poolDb(clientConfig, schema, opts.poolSize ?? 10);
  // Engine bookkeeping (claims, lease releases, attempt records) does not wait for its WAL
  // flush: losing the last of those in a server crash only means a delivery is sent again
  // (at least once). What a client is answered 2xx for keeps synchronous_commit on.
  const engine = poolDb(
    {
      ...clientConfig,
      options: `${clientConfig.options} -c synchronous_commit=off`,
      application_name: 'hookway-engine',
    },
    schema,
    4,
  );
  return {
    ...main,
    engine,
    end: async () => {
      await Promise.all([main.pool.end(), engine.pool.end()]);
    },
  };
}

/**
 * A request must not wait long for a database that is not there: getting a
 * connection (a new one, or a free slot in a full pool) gives up after this
 * long and the caller answers 503 `database_unavailable`.
 */
export const CONNECT_TIMEOUT_MS = 2_000;

function poolDb(clientConfig: pg.ClientConfig, schema: string, max: number): Omit<Db, 'engine' | 'end'> {
  const pool = new pg.Pool({
    ...clientConfig,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // Notices a silently dead server (a failover, a dropped route) instead of waiting forever.
    keepAlive: true,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a
  // handler that would crash the process. The pool discards the client itself.
  pool.on('error', () => {});

  return {
    pool,
    schema,
    clientConfig,
    query: (text, values) => pool.query(text, values),
    async tx(fn) {
      // A deadlock or serialization failure rolls the whole transaction back, and PostgreSQL's
      // answer is to run it again: FIFO sequencing locks endpoint rows that claims and
      // attempt records touch too, and under load the suite saw one surface as a 500.
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn);
        } catch (err) {
          if (attempt >= TX_ATTEMPTS || !(isPgError(err, '40P01') || isPgError(err, '40001'))) throw err;
        }
      }
    },
  };

  async function once<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    // A checked-out client has no pool listener: a connection killed between two
    // statements (a PostgreSQL restart, pg_terminate_backend) emits 'error' here,
    // and an unhandled 'error' event would take the whole process down.
    let broken: Error | undefined;
    const onError = (e: Error) => {
      broken ??= e;
    };
    c.on('error', onError);
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (err) {
      if (!broken && classifyPgFault(err)) broken = err as Error;
      // A connection that broke, or cannot even roll back, is destroyed, not returned to the pool.
      if (!broken) {
        await c.query('ROLLBACK').catch((e: Error) => {
          broken = e;
        });
      }
      throw err;
    } finally {
      c.removeListener('error', onError);
      c.release(broken);
    }
  }
}

/** Runs of one transaction at most, when PostgreSQL answers deadlock or serialization failure. */
const TX_ATTEMPTS = 3;

/** SQLSTATE codes the adapter maps to domain errors. */
export const PgCode = { uniqueViolation: '23505', foreignKeyViolation: '23503' } as const;

export function isPgError(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

/**
 * Runs `fn` and turns constraint failures into catalogue errors, as the SQLite
 * adapter does: a duplicate into 409 `conflict` with `detail`, a missing
 * parent row (foreign key) into 404 `not_found`. The constraint, not a
 * pre-check, is the guarantee.
 */
export async function mapConstraint<T>(detail: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isPgError(err, PgCode.uniqueViolation)) throw new HookwayError('conflict', detail, { cause: err });
    if (isPgError(err, PgCode.foreignKeyViolation)) {
      throw new HookwayError('not_found', 'A referenced entity does not exist.', { cause: err });
    }
    throw err;
  }
}
