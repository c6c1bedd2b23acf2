import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pino, { type Bindings, type ChildLoggerOptions, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { RequestLogger } from '../../src/api/request-logger.js';
import { loadConfig } from '../../src/config.js';
import { LOG_REDACT } from '../../src/log/redact.js';
import { startHookway } from '../../src/server.js';
import { TEST_TOKEN } from '../helpers/server.js';

function logger(): { log: FastifyBaseLogger; lines: Array<Record<string, unknown>>; children: () => number } {
  const lines: Array<Record<string, unknown>> = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const log = pino({ level: 'info', redact: LOG_REDACT }, out);
  // Counts every child made from this logger or its descendants (Fastify wraps the one it is given).
  let made = 0;
  type Parent = { child(bindings: Bindings, options?: ChildLoggerOptions): Parent };
  const counted = (l: Parent): Parent => {
    const w = Object.create(l) as Parent;
    w.child = (bindings, options) => {
      made++;
      return counted(l.child(bindings, options));
    };
    return w;
  };
  const parent = counted(log as unknown as Parent);
  return { log: parent as unknown as FastifyBaseLogger, lines, children: () => made };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('request logger', () => {
  it('builds no child logger for a request that logs nothing', () => {
    const { log, children } = logger();
    const requests = Array.from({ length: 100 }, (_, i) => new RequestLogger(log, { reqId: `req-${i}` }, {}));
    expect(requests.every((r) => r.level === 'info')).toBe(true);
    expect(children()).toBe(0);
  });

  it('logs as the child Fastify would have made: bound to the request id, redacted, at its level', async () => {
    const { log, lines, children } = logger();
    const r = new RequestLogger(log, { reqId: 'req-7' }, {});
    r.error({ err: new Error('boom'), secret: 'whsec_x' }, 'request failed');
    r.info('second line');
    r.debug('below the level');
    await flush();
    expect(children()).toBe(1);
    expect(lines.map((l) => [l.reqId, l.msg, l.secret])).toEqual([
      ['req-7', 'request failed', '[redacted]'],
      ['req-7', 'second line', undefined],
    ]);
    expect(lines[0]?.err).toMatchObject({ message: 'boom' });
    const sub = r.child({ part: 'x' });
    sub.warn('from a child');
    await flush();
    expect(lines[2]).toMatchObject({ reqId: 'req-7', part: 'x', msg: 'from a child' });
  });

  it('is what the API gives its requests: none builds a logger until one logs, and that line names its request', async () => {
    const { log, lines, children } = logger();
    const dir = mkdtempSync(join(tmpdir(), 'hookway-reqlog-'));
    const hw = await startHookway(
      loadConfig({
        HOOKWAY_DATABASE_URL: `sqlite:${join(dir, 'hookway.db')}`,
        HOOKWAY_PORT: '0',
        HOOKWAY_ADMIN_TOKEN: TEST_TOKEN,
        HOOKWAY_ALLOWED_TARGETS: '127.0.0.0/8',
        HOOKWAY_LOG_LEVEL: 'info',
      }),
      { log: log as unknown as Logger },
    );
    try {
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${hw.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return (text ? JSON.parse(text) : {}) as { id: string };
      };
      const app = await call('POST', '/api/v1/app', { name: 'logs' });
      const ep = await call('POST', `/api/v1/app/${app.id}/endpoint`, { url: 'http://127.0.0.1:9/hook' });
      const before = children();
      for (let i = 0; i < 20; i++) await call('GET', `/api/v1/app/${app.id}/endpoint`);
      expect(children() - before).toBe(0);
      // The secret rotation logs a line from its request.
      await call('POST', `/api/v1/app/${app.id}/endpoint/${ep.id}/secret/rotate`, {});
      await flush();
      const rotated = lines.find((l) => l.msg === 'endpoint secret rotated');
      expect(rotated).toMatchObject({ endpointId: ep.id });
      expect(String(rotated?.reqId)).toMatch(/^req-/);
    } finally {
      await hw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
