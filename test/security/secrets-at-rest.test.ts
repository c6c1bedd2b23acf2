import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCipher, generateMasterKey, parseMasterKey } from '../../src/core/cipher.js';
import { rotateMasterKey } from '../../src/store/master-key.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { dropSchema, schemaName, TEST_DATABASE_URL, withPgClient } from '../helpers/pg.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Secrets at rest: after creating endpoints and sources (with and without
 * Idempotency-Key, whose stored answers are another place a secret could
 * land) and rotating secrets, neither the SQLite file (with its WAL) nor a
 * PostgreSQL dump holds `whsec_` or any secret's key material. Every table is
 * scanned, so tables added later are covered. Then the master key is rotated
 * and every secret still reads back.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const secret = (n: number) => `whsec_${Buffer.alloc(32, n).toString('base64')}`;
const SECRETS = [secret(1), secret(2), secret(3), secret(4)];
/** An imported ed25519 signing key (Standard Webhooks v1a): its seed must stay encrypted too. */
const SIGNING_KEY = `whsk_${Buffer.alloc(32, 9).toString('base64')}`;
/** What must never be found: the prefixes, and each secret's base64 body. */
const NEEDLES = ['whsec_', 'whsk_', ...SECRETS.map((s) => s.slice('whsec_'.length)), SIGNING_KEY.slice('whsk_'.length)];

interface Made {
  appId: string;
  endpointId: string;
  sourceIds: string[];
  /** endpoint id -> secret read through the API after all the changes */
  endpointSecret: string;
}

async function populate(server: TestServer): Promise<Made> {
  const routes = server.hw.api!.routeCatalogue;
  const has = (method: string, url: string) => routes.some((r) => r.method === method && r.url === url);
  const idem = (k: string) => ({ 'idempotency-key': `${k}-${Math.random()}` });
  const app = await api(server, 'POST', '/api/v1/app', { name: 'At rest' }, idem('app'));
  expect(app.status).toBe(201);
  const ep = await api(
    server,
    'POST',
    `/api/v1/app/${app.body.id}/endpoint`,
    { url: 'https://example.com/hook', secret: SECRETS[0], headers: { 'x-api-key': 'header-secret' } },
    idem('ep'),
  );
  expect(ep.status).toBe(201);
  await api(server, 'POST', `/api/v1/app/${app.body.id}/endpoint`, { url: 'https://example.com/generated' });
  const signed = await api(
    server,
    'POST',
    `/api/v1/app/${app.body.id}/endpoint`,
    { url: 'https://example.com/ed25519', secret: SIGNING_KEY },
    idem('ed'),
  );
  expect(signed.status, JSON.stringify(signed.body)).toBe(201);
  const publicKey = await api(server, 'GET', `/api/v1/app/${app.body.id}/endpoint/${signed.body.id}/secret`);
  expect(publicKey.body.key).toMatch(/^whpk_/);
  const generated = await api(server, 'POST', `/api/v1/app/${app.body.id}/endpoint`, {
    url: 'https://example.com/ed25519-generated',
    signing: 'ed25519',
  });
  expect(generated.body.signing).toBe('ed25519');
  if (has('POST', '/api/v1/app/:app_id/endpoint/:endpoint_id/secret/rotate')) {
    const rotated = await api(
      server,
      'POST',
      `/api/v1/app/${app.body.id}/endpoint/${ep.body.id}/secret/rotate`,
      { key: SECRETS[1] },
      idem('rotate'),
    );
    expect(rotated.status).toBeLessThan(300);
  }
  const sourceIds: string[] = [];
  if (has('POST', '/ingest/api/v1/source')) {
    for (const [type, s] of [
      ['svix', SECRETS[2]],
      ['standard-webhooks', SECRETS[3]],
    ] as const) {
      const src = await api(
        server,
        'POST',
        '/ingest/api/v1/source',
        { name: `${type} source`, type, config: { secret: s } },
        idem('src'),
      );
      expect(src.status, JSON.stringify(src.body)).toBe(201);
      sourceIds.push(src.body.id);
    }
  }
  const read = await api(server, 'GET', `/api/v1/app/${app.body.id}/endpoint/${ep.body.id}/secret`);
  expect(read.body.key).toMatch(/^whsec_/);
  return { appId: app.body.id, endpointId: ep.body.id, sourceIds, endpointSecret: read.body.key };
}

function findNeedles(haystack: Buffer | string): string[] {
  const buf = Buffer.isBuffer(haystack) ? haystack : Buffer.from(haystack);
  return NEEDLES.filter((n) => buf.includes(n));
}

describe('secrets at rest: SQLite', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the database file and its WAL hold no whsec_ and no key material', async () => {
    const server = await startTestServer();
    dirs.push(server.dir);
    await populate(server);
    const dir = server.dir;
    // Scanned while open (WAL holds the latest pages) and after close (checkpointed into the file).
    const scan = () =>
      readdirSync(dir)
        .filter((f) => f.startsWith('hookway.db'))
        .flatMap((f) => findNeedles(readFileSync(join(dir, f))).map((n) => `${f}: ${n}`));
    expect(scan()).toEqual([]);
    await server.hw.close();
    expect(scan()).toEqual([]);
    expect(readdirSync(dir)).toContain('hookway.db');
  });

  it('hookway master-key rotate re-encrypts everything; the new key alone reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookway-rotate-'));
    dirs.push(dir);
    const env = { HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}` };
    const first = await startTestServer({}, env);
    const made = await populate(first);
    const sources = await Promise.all(made.sourceIds.map((id) => api(first, 'GET', `/ingest/api/v1/source/${id}`)));
    await first.hw.close();
    const oldKey = readFileSync(join(dir, 'master.key'), 'utf8').trim();

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'master-key', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env, HOOKWAY_MASTER_KEY: '' },
        encoding: 'utf8',
      });
    const rotated = cli('rotate');
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/Re-encrypted [1-9]\d* secret value\(s\) in .*endpoints/);
    const lines = readFileSync(join(dir, 'master.key'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(oldKey);
    const newKey = lines[0] ?? '';

    // The new key alone (no file, no old key) decrypts everything.
    const second = await startTestServer({}, { ...env, HOOKWAY_MASTER_KEY: newKey });
    try {
      const read = await api(second, 'GET', `/api/v1/app/${made.appId}/endpoint/${made.endpointId}/secret`);
      expect(read.body.key).toBe(made.endpointSecret);
      for (const [i, id] of made.sourceIds.entries()) {
        const src = await api(second, 'GET', `/ingest/api/v1/source/${id}`);
        expect(src.status).toBe(200);
        // The ingest URL names the server's own address, which differs between the two servers.
        const { ingestUrl: _a, ...now } = src.body;
        const { ingestUrl: _b, ...before } = sources[i]?.body ?? {};
        expect(now).toEqual(before);
      }
    } finally {
      await second.hw.close();
    }

    // The old key alone no longer decrypts anything: every value moved.
    const store = await (await import('../../src/store/sqlite/index.js')).openSqliteStore({
      path: join(dir, 'hookway.db'),
      cipher: createCipher([parseMasterKey(oldKey)]),
    });
    await expect(store.getEndpoint(made.appId, made.endpointId)).rejects.toThrow();
    await store.close();

    const dropped = cli('rotate', '--drop-old');
    expect(dropped.status, dropped.stderr).toBe(0);
    expect(readFileSync(join(dir, 'master.key'), 'utf8').trim().split('\n')).toHaveLength(1);

    // With HOOKWAY_MASTER_KEY set, the new key must be given.
    const refused = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'master-key', 'rotate'],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, HOOKWAY_MASTER_KEY: newKey },
        encoding: 'utf8',
      },
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--new-key');
    // Three CLI processes and two servers, each started from source.
  }, 180_000);
});

describe('secrets at rest: PostgreSQL', () => {
  const schema = schemaName('at_rest');
  const dir = mkdtempSync(join(tmpdir(), 'hookway-pg-rest-'));
  afterAll(async () => {
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  });

  it('pg_dump and every text column of every table hold no whsec_; rotation keeps secrets readable', async () => {
    const masterKey = generateMasterKey();
    const env = {
      HOOKWAY_DATABASE_URL: TEST_DATABASE_URL,
      HOOKWAY_DATABASE_SCHEMA: schema,
      HOOKWAY_DATA_DIR: dir,
      HOOKWAY_MASTER_KEY: masterKey,
    };
    const server = await startTestServer({}, env);
    let made: Made;
    try {
      made = await populate(server);
    } finally {
      await server.hw.close();
    }

    const dump = spawnSync('pg_dump', ['--data-only', `--schema=${schema}`, TEST_DATABASE_URL], { encoding: 'utf8' });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('COPY');
    expect(findNeedles(dump.stdout)).toEqual([]);

    // The same over SQL, column by column, so a failure names the place.
    const found = await withPgClient(async (c) => {
      const { rows: columns } = await c.query(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = $1 AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')`,
        [schema],
      );
      expect(columns.length).toBeGreaterThan(20);
      const hits: string[] = [];
      for (const { table_name: t, column_name: col } of columns) {
        const { rows } = await c.query(
          `SELECT count(*)::int AS n FROM "${schema}"."${t}" WHERE ${NEEDLES.map((_, i) => `position($${i + 1} in "${col}"::text) > 0`).join(' OR ')}`,
          NEEDLES,
        );
        if (rows[0].n > 0) hits.push(`${t}.${col}`);
      }
      return hits;
    });
    expect(found).toEqual([]);

    const newKey = generateMasterKey();
    const store = await openPostgresStore({
      url: TEST_DATABASE_URL,
      schema,
      cipher: createCipher([parseMasterKey(newKey), parseMasterKey(masterKey)]),
    });
    try {
      const result = await rotateMasterKey(store, [parseMasterKey(masterKey)], parseMasterKey(newKey));
      expect(result.tables).toContain('endpoints');
      if (made.sourceIds.length > 0) expect(result.tables).toContain('sources');
      expect(result.values).toBeGreaterThanOrEqual(2);
    } finally {
      await store.close();
    }
    const after = await startTestServer({}, { ...env, HOOKWAY_MASTER_KEY: newKey });
    try {
      const read = await api(after, 'GET', `/api/v1/app/${made.appId}/endpoint/${made.endpointId}/secret`);
      expect(read.body.key).toBe(made.endpointSecret);
      for (const id of made.sourceIds)
        expect((await api(after, 'GET', `/ingest/api/v1/source/${id}`)).status).toBe(200);
    } finally {
      await after.hw.close();
    }
  });
});
