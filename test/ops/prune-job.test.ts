import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Hookway, startHookway } from '../../src/server.js';
import { api, TEST_TOKEN, waitFor } from '../helpers/server.js';

/**
 * The retention job itself, not only the store call it makes: a server whose
 * clock the test moves forward, with the job on a one-second interval. Past a
 * message's own retention (1 day) its payload goes; past the default (here 3
 * days) every payload goes. Nothing calls prunePayloads but the job.
 */
const DAY = 86_400_000;

describe('payload retention job', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookway-prune-'));
  let hw: Hookway | undefined;
  afterAll(async () => {
    await hw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops payloads once the clock passes their retention, and keeps the others', async () => {
    let offset = 0;
    const config = loadConfig({
      HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
      HOOKWAY_PORT: '0',
      HOOKWAY_ADMIN_TOKEN: TEST_TOKEN,
      HOOKWAY_PAYLOAD_RETENTION_DAYS: '3',
      HOOKWAY_PRUNE_INTERVAL_SECONDS: '1',
    });
    hw = await startHookway(config, { log: pino({ level: 'silent' }), now: () => Date.now() + offset });
    const server = { url: hw.url ?? '', token: TEST_TOKEN };
    const app = (await api(server, 'POST', '/api/v1/app', { name: 'retention' })).body;
    const publish = async (body: Record<string, unknown>) =>
      (await api(server, 'POST', `/api/v1/app/${app.id}/msg`, { eventType: 'a.b', ...body })).body.id as string;
    const short = await publish({ payload: { short: 1 }, payloadRetentionPeriod: 1 });
    const normal = await publish({ payload: { normal: 1 } });
    const payload = async (id: string) => (await api(server, 'GET', `/api/v1/app/${app.id}/msg/${id}`)).body.payload;

    // The job has run (every second) with the real clock: nothing is due yet.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await payload(short)).toEqual({ short: 1 });
    expect(await payload(normal)).toEqual({ normal: 1 });

    offset = 2 * DAY;
    await waitFor(async () => JSON.stringify(await payload(short)) === '{}', 15_000);
    expect(await payload(normal)).toEqual({ normal: 1 });

    offset = 4 * DAY;
    await waitFor(async () => JSON.stringify(await payload(normal)) === '{}', 15_000);
  }, 60_000);
});
