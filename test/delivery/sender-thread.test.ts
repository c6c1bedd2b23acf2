import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sender } from '../../src/delivery/sender.js';
import { createThreadedSender } from '../../src/delivery/sender-thread.js';
import { Receiver } from '../helpers/receiver.js';

/** Sending on a worker thread: the same results as in process, the guard, aborts, no lookup override. */
describe('threaded sender', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  function sender(allowedTargets = ['127.0.0.0/8'], threads = 2): Sender {
    const s = createThreadedSender({ allowedTargets, userAgent: 'Hookway/test' }, threads);
    cleanup.push(() => s.close());
    return s;
  }

  async function receiver(script?: Parameters<typeof Receiver.start>[0]): Promise<Receiver> {
    const r = await Receiver.start(script);
    cleanup.push(() => r.close());
    return r;
  }

  it('sends from another thread and answers the whole result: status, headers, body, retry-after', async () => {
    const r = await receiver((_req, n): { status: number; body: string; headers: Record<string, string> } =>
      n === 0
        ? { status: 200, body: 'fine', headers: { 'x-answer': 'yes' } }
        : { status: 429, body: 'slow down', headers: { 'retry-after': '7' } },
    );
    const s = sender();
    const req = { url: r.url, headers: { 'webhook-id': 'msg_1' }, body: '{"a":1}', timeoutMs: 2000 };
    const ok = await s.send(req);
    expect(ok).toMatchObject({ statusCode: 200, body: 'fine', errorKind: null, errorDetail: null });
    expect(ok.headers?.['x-answer']).toBe('yes');
    const limited = await s.send(req);
    expect(limited).toMatchObject({ statusCode: 429, errorKind: 'http_error', retryAfterSeconds: 7 });
    expect(r.received.map((x) => [x.headers['webhook-id'], x.headers['user-agent'], x.body])).toEqual([
      ['msg_1', 'Hookway/test', '{"a":1}'],
      ['msg_1', 'Hookway/test', '{"a":1}'],
    ]);
  });

  it('keeps the address guard: a private target is blocked on the thread too', async () => {
    const r = await receiver();
    const res = await sender([]).send({ url: r.url, headers: {}, body: '{}', timeoutMs: 2000 });
    expect(res.errorKind).toBe('blocked');
    expect(r.received).toHaveLength(0);
  });

  it('many sends at once, spread over the threads, each answered to its own caller', async () => {
    const r = await receiver((req) => ({ status: 200, body: `echo ${req.body}` }));
    const s = sender();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => s.send({ url: r.url, headers: {}, body: String(i), timeoutMs: 5000 })),
    );
    expect(results.map((x) => x.body)).toEqual(Array.from({ length: 200 }, (_, i) => `echo ${i}`));
  });

  it('an abort signal cuts the sends of its group short, and not the others', async () => {
    const r = await receiver(() => 'hang');
    const s = sender();
    const stop = new AbortController();
    const req = { url: r.url, headers: {}, body: '{}', timeoutMs: 10_000 };
    const t0 = Date.now();
    const cut = s.send({ ...req, signal: stop.signal });
    const other = s.send({ ...req, timeoutMs: 1500 });
    setTimeout(() => stop.abort(), 200);
    const res = await cut;
    expect(res.errorKind).not.toBeNull();
    expect(Date.now() - t0).toBeLessThan(1500);
    // The other send was not in the group: it runs to its own timeout.
    const o = await other;
    expect(o.errorKind).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    // A send given an already aborted signal does not go out.
    const late = await s.send({ ...req, signal: stop.signal });
    expect(late.errorKind).not.toBeNull();
  });

  it('a thread that stops mid-send fails its sends as network errors, and a new thread takes the next ones', async () => {
    const hang = await receiver(() => 'hang');
    const ok = await receiver(() => ({ status: 200, body: 'fine' }));
    const threads: Worker[] = [];
    const s = createThreadedSender({ allowedTargets: ['127.0.0.0/8'], userAgent: 'Hookway/test' }, 1, (w) =>
      threads.push(w),
    );
    cleanup.push(() => s.close());
    const inFlight = Array.from({ length: 5 }, () =>
      s.send({ url: hang.url, headers: {}, body: '{}', timeoutMs: 30_000 }),
    );
    // All five reached the thread: the receiver holds their requests.
    for (let i = 0; i < 100 && hang.received.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hang.received.length).toBe(5);
    await threads[0]?.terminate();
    const failed = await Promise.all(inFlight);
    expect(failed.map((r) => [r.errorKind, r.errorDetail])).toEqual(
      Array.from({ length: 5 }, () => ['network', 'the sender thread stopped during the send']),
    );
    // The thread is started again, and the next sends go out and are answered.
    const after = await Promise.all(
      [1, 2, 3].map((i) => s.send({ url: ok.url, headers: {}, body: String(i), timeoutMs: 5000 })),
    );
    expect(after.map((r) => [r.statusCode, r.body])).toEqual([
      [200, 'fine'],
      [200, 'fine'],
      [200, 'fine'],
    ]);
    expect(threads.length).toBe(2);
    expect(ok.received.map((r) => r.body)).toEqual(['1', '2', '3']);
  });

  it('refuses a DNS lookup override, which cannot cross to a thread', () => {
    expect(() =>
      createThreadedSender({ allowedTargets: [], userAgent: 'x', lookup: (_h, _o, cb) => cb(null, '1.2.3.4', 4) }, 1),
    ).toThrow(/lookup/);
  });
});
