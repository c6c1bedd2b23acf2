import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { LOG_REDACT } from '../../src/log/redact.js';
import { type Hookway, startHookway } from '../../src/server.js';
import { Receiver } from '../helpers/receiver.js';
import { api, TEST_TOKEN, waitFor } from '../helpers/server.js';
import { tmpDirs } from '../helpers/tmp.js';

/**
 * Custom headers cannot smuggle requests or take over the transport or the
 * signature, and their values never reach the log: the server runs at trace
 * level with the production redaction, every line captured, while endpoints
 * with sensitive header values fail, succeed and are changed.
 */
const SENSITIVE = 'Bearer SENSITIVE-HEADER-VALUE-42';
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

describe('custom headers and the log', () => {
  const dirs = tmpDirs();
  const lines: string[] = [];
  let hw: Hookway;
  let server: { url: string; token: string };
  let receiver: Receiver;
  let appId: string;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ level: 'trace', redact: LOG_REDACT }, sink);
    const dir = dirs.make();
    const config = loadConfig({
      HOOKWAY_DATABASE_URL: `sqlite:${dir}/hookway.db`,
      HOOKWAY_PORT: '0',
      HOOKWAY_ADMIN_TOKEN: TEST_TOKEN,
      HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
      HOOKWAY_RETRY_SCHEDULE: '1',
      HOOKWAY_POLL_INTERVAL_MS: '100',
    });
    hw = await startHookway(config, { log });
    server = { url: hw.url ?? '', token: TEST_TOKEN };
    receiver = await Receiver.start((_req, n) => (n % 2 === 0 ? { status: 500, body: 'no' } : 'destroy'));
    appId = (await api(server, 'POST', '/api/v1/app', { name: 'logs' })).body.id;
  });
  afterAll(async () => {
    await hw.close();
    await receiver.close();
    dirs.cleanup();
  });

  it('rejects reserved names, CR/LF and invalid names with 422', async () => {
    const bad: Array<Record<string, string>> = [
      { host: 'evil.com' },
      { 'Content-Length': '0' },
      { 'transfer-encoding': 'chunked' },
      { connection: 'close' },
      { 'keep-alive': 'timeout=5' },
      { upgrade: 'websocket' },
      { 'webhook-signature': 'v1,forged' },
      { 'Webhook-Id': 'x' },
      { 'svix-id': 'x' },
      { 'x-ok': 'a\r\nInjected: 1' },
      { 'x-ok': 'a\nb' },
      { 'x-ok': 'a\u0000b' },
      { 'bad name': 'x' },
      { 'x:colon': 'x' },
      { '': 'x' },
    ];
    for (const headers of bad) {
      const create = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: receiver.url, headers });
      expect(create.status, JSON.stringify(headers)).toBe(422);
      expect(create.body.code).toBe('validation');
    }
    const ep = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, { url: receiver.url });
    for (const headers of bad.slice(0, 6)) {
      const patch = await api(server, 'PATCH', `/api/v1/app/${appId}/endpoint/${ep.body.id}/headers`, { headers });
      expect(patch.status, JSON.stringify(headers)).toBe(422);
    }
  });

  it('never logs header values or secrets', async () => {
    const ep = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
      url: receiver.url,
      secret: SECRET,
      headers: { authorization: SENSITIVE, 'x-api-key': SENSITIVE },
    });
    expect(ep.status).toBe(201);
    await api(server, 'PUT', `/api/v1/app/${appId}/endpoint/${ep.body.id}/headers`, {
      headers: { 'x-other': SENSITIVE },
    });
    for (let i = 0; i < 3; i++) {
      await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'log.test', payload: { i } });
    }
    await waitFor(() => receiver.received.length >= 4);
    expect(receiver.received.some((r) => r.headers['x-other'] === SENSITIVE)).toBe(true);
    // Lines logged through the same logger by any code path: the redaction holds.
    hw.log.error({ endpoint: { headers: { 'x-api-key': SENSITIVE }, secrets: [SECRET] } }, 'endpoint');
    hw.log.warn({ headers: { authorization: SENSITIVE }, err: { headers: { a: SENSITIVE } } }, 'request');
    hw.log.info({ source: { config: { secret: SECRET } }, config: { secret: SECRET } }, 'source');
    hw.log.info({ req: { headers: { authorization: SENSITIVE, cookie: SENSITIVE } } }, 'req');
    await new Promise((r) => setTimeout(r, 200));
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(4);
    expect(all).not.toContain('SENSITIVE-HEADER-VALUE');
    expect(all).not.toContain('whsec_');
    expect(all).toContain('[redacted]');
  });

  it('never logs or shows a broker URL credential', async () => {
    const password = 'BROKER-SECRET-PW-0147';
    const ep = await api(server, 'POST', `/api/v1/app/${appId}/endpoint`, {
      // A wrong RabbitMQ password: every publish is refused, so attempts and errors are recorded.
      url: `amqp://guest:${password}@127.0.0.1:5672/?exchange=amq.direct&routingKey=hookway-log-test`,
      retrySchedule: [],
      filterTypes: ['log.broker'],
    });
    expect(ep.status).toBe(201);
    const msg = (await api(server, 'POST', `/api/v1/app/${appId}/msg`, { eventType: 'log.broker', payload: {} })).body;
    const attempts = await waitFor(async () => {
      const list = (await api(server, 'GET', `/api/v1/app/${appId}/attempt/endpoint/${ep.body.id}`)).body.data;
      return list.length > 0 ? list : null;
    });
    expect(attempts[0].status).toBe(2);
    expect(attempts[0].errorKind).toBe('refused');
    const answers = JSON.stringify([
      attempts,
      (await api(server, 'GET', `/api/v1/app/${appId}/endpoint/${ep.body.id}`)).body,
      (await api(server, 'GET', `/api/v1/app/${appId}/endpoint`)).body,
      (await api(server, 'GET', `/api/v1/app/${appId}/msg/${msg.id}/endpoint`)).body,
    ]);
    expect(answers).toContain('amqp://guest:****@127.0.0.1');
    expect(answers).not.toContain(password);
    await new Promise((r) => setTimeout(r, 200));
    expect(lines.join('')).not.toContain(password);
  });
});
