import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';
import type { Attempt } from '../../src/core/types.js';
import type { AttemptResult } from '../../src/store/port.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { peakRssMb, runCli } from './run.js';

/**
 * `hookway export` of 100,000 attempts in constant memory. The attempts are
 * seeded straight through the store in big batches (going through HTTP would
 * take minutes); the CLI's peak RSS is reported by its hidden --stats flag.
 */
const MESSAGES = 1_000;
const PER_MESSAGE = 100;
const TOTAL = MESSAGES * PER_MESSAGE;
const MAX_RSS_MB = 150;
/**
 * The V8 heap is capped well below the size of the export (~20 MB of CSV,
 * ~45 MB of NDJSON, several times that as JS objects): a CLI that buffered
 * the rows would die of OOM instead of finishing. Without a cap V8 grows
 * lazily and RSS says more about the GC than about the code.
 */
const CAPPED = { NODE_OPTIONS: '--max-old-space-size=48 --max-semi-space-size=2' };

async function countLines(file: string): Promise<{ lines: number; first: string; last: string }> {
  let lines = 0;
  let first = '';
  let last = '';
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (lines === 0) first = line;
    last = line;
    lines++;
  }
  return { lines, first, last };
}

describe('hookway export', () => {
  let server: TestServer;
  let dir: string;
  let env: Record<string, string>;
  let epId: string;

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'hookway-export-'));
    env = { HOOKWAY_URL: server.url, HOOKWAY_TOKEN: server.token, XDG_CONFIG_HOME: dir, ...CAPPED };
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'Big', uid: 'big' })).body;
    epId = (await api(server, 'POST', `/api/v1/app/big/endpoint`, { url: 'https://example.com/h', disabled: true }))
      .body.id;
    const store = server.hw.store;
    const t0 = Date.now() - 3_600_000;
    for (let m = 0; m < MESSAGES; m += 100) {
      const batch = [];
      for (let i = m; i < m + 100; i++) {
        const id = newId('msg', t0 + i);
        batch.push({
          message: {
            id,
            appId: app.id,
            eventType: 'invoice.paid',
            eventId: null,
            payload: '{"n":1}',
            channels: null,
            tags: null,
            createdAt: t0 + i,
          },
          endpointIds: [],
        });
      }
      await store.createMessages(batch, t0 + m);
      const results: AttemptResult[] = [];
      for (const { message } of batch) {
        for (let k = 0; k < PER_MESSAGE; k++) {
          const attempt: Attempt = {
            id: newId('atmpt', message.createdAt),
            deliveryId: 'dlv_seed',
            msgId: message.id,
            endpointId: epId,
            appId: app.id,
            url: 'https://example.com/h',
            status: k % 10 === 0 ? 'failed' : 'succeeded',
            triggerType: 0,
            parentId: null,
            responseStatusCode: k % 10 === 0 ? 500 : 200,
            responseHeaders: null,
            response: 'ok, "quoted"',
            responseDurationMs: k,
            requestHeaders: {},
            requestBody: null,
            errorKind: k % 10 === 0 ? 'http_error' : null,
            errorDetail: null,
            createdAt: message.createdAt,
          };
          results.push({ attempt, deliveryId: 'dlv_seed', update: { kind: 'succeeded' } });
        }
      }
      await store.recordAttempts(results, t0 + m);
    }
  }, 120_000);
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const mode of ['server', 'client-side'] as const) {
    it(`writes 100,000 attempts to CSV with flat memory (${mode})`, async () => {
      const out = join(dir, `attempts-${mode}.csv`);
      const args = ['export', 'big', '--format', 'csv', '--out', out, '--json', '--stats'];
      if (mode === 'client-side') args.push('--client-side');
      const r = await runCli(args, env);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ file: out, format: 'csv', rows: TOTAL });
      expect(r.stderr).toMatch(/export \d+/);
      const { lines, first } = await countLines(out);
      expect(first).toBe(
        'id,msgId,endpointId,url,status,responseStatusCode,responseDurationMs,triggerType,parentId,errorKind,errorDetail,timestamp',
      );
      expect(lines).toBe(TOTAL + 1);
      const rss = peakRssMb(r.stderr);
      console.log(`export (${mode}): peak RSS ${rss.toFixed(0)} MB`);
      expect(rss).toBeLessThan(MAX_RSS_MB);
    }, 180_000);
  }

  it('writes NDJSON for one endpoint', async () => {
    const out = join(dir, 'attempts.ndjson');
    const r = await runCli(
      ['export', 'big', '--endpoint', epId, '--format', 'ndjson', '--out', out, '--json', '--stats'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const { lines, first } = await countLines(out);
    expect(lines).toBe(TOTAL);
    expect(JSON.parse(first)).toMatchObject({ endpointId: epId, response: 'ok, "quoted"' });
    expect(peakRssMb(r.stderr)).toBeLessThan(MAX_RSS_MB);
  }, 180_000);
});
