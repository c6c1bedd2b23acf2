import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoint, Message } from '../../src/core/types.js';
import { createDestinations } from '../../src/delivery/destinations/index.js';
import { buildStandardRequest } from '../../src/delivery/request.js';
import type { Sender, SendRequest } from '../../src/delivery/sender.js';
import {
  NATS_PORT,
  natsStream,
  RABBIT_PORT,
  REDIS_PORT,
  rabbitQueue,
  redisStream,
  uniqueName,
} from '../helpers/brokers.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * The broker destinations against this machine's real RabbitMQ, NATS
 * JetStream and Redis: what a consumer receives (and can verify), what each
 * broker's refusal is recorded as, the address guard, pooled connections and
 * reconnects through a TCP proxy the test can cut.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LOOPBACK = ['127.0.0.0/8', '::1/128'];

function request(
  url: string,
  msgId = `msg_${uniqueName('m')}`,
  eventType = 'invoice.paid',
): SendRequest & { msgId: string } {
  const endpoint = {
    url,
    headers: { 'x-tenant': 'acme' },
    secrets: [{ key: SECRET, expiresAt: null }],
  } as unknown as Endpoint;
  const message = { id: msgId, payload: JSON.stringify({ amount: 1200, currency: 'EUR' }) } as Message;
  const r = buildStandardRequest(endpoint, message, Date.now());
  return { ...r, timeoutMs: 5000, eventType, msgId };
}

/** Verifies like a consumer would, with the official Standard Webhooks library. */
function verify(body: string, headers: Record<string, string>) {
  return new Webhook(SECRET).verify(body, {
    'webhook-id': headers['webhook-id'] ?? '',
    'webhook-timestamp': headers['webhook-timestamp'] ?? '',
    'webhook-signature': headers['webhook-signature'] ?? '',
  });
}

describe('broker destinations (real brokers)', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  function destinations(
    allowedTargets = LOOPBACK,
    lookup?: Parameters<typeof createDestinations>[0]['lookup'],
  ): Sender {
    const s = createDestinations({ allowedTargets, userAgent: 'test', ...(lookup && { lookup }) });
    cleanup.push(() => s.close());
    return s;
  }

  describe('RabbitMQ', () => {
    it('publishes persistent, confirmed, signed messages a consumer can verify', async () => {
      const q = await rabbitQueue('paid');
      cleanup.push(() => q.close());
      const s = destinations();
      const req = request(`amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/?exchange=${q.exchange}&routingKey=paid`);
      const result = await s.send(req);
      expect(result.errorKind).toBeNull();
      expect(result.statusCode).toBe(202);
      expect(JSON.parse(result.body)).toMatchObject({ exchange: q.exchange, confirmed: true });
      const [m, ...rest] = await q.read();
      expect(rest).toHaveLength(0);
      expect(m!.content.toString()).toBe(req.body);
      expect(m!.properties.messageId).toBe(req.msgId);
      expect(m!.properties.deliveryMode).toBe(2);
      expect(m!.properties.type).toBe('invoice.paid');
      expect(m!.properties.contentType).toBe('application/json');
      const headers = m!.properties.headers as Record<string, string>;
      expect(headers['event-type']).toBe('invoice.paid');
      expect(headers['x-tenant']).toBe('acme');
      expect(headers['webhook-id']).toBe(req.msgId);
      expect(verify(m!.content.toString(), headers)).toEqual({ amount: 1200, currency: 'EUR' });
    });

    it('records a message no queue takes as unroutable', async () => {
      const q = await rabbitQueue('paid');
      cleanup.push(() => q.close());
      const s = destinations();
      const result = await s.send(
        request(`amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/?exchange=${q.exchange}&routingKey=nobody`),
      );
      expect(result.errorKind).toBe('unroutable');
      expect(result.statusCode).toBe(0);
      expect(result.errorDetail).toContain('"nobody"');
      expect(await q.read()).toHaveLength(0);
      // The channel survives: the next routable publish is confirmed.
      const ok = await s.send(
        request(`amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/?exchange=${q.exchange}&routingKey=paid`),
      );
      expect(ok.errorKind).toBeNull();
    });

    it('fails on a missing exchange without creating it, and without failing other exchanges', async () => {
      const q = await rabbitQueue('paid');
      cleanup.push(() => q.close());
      const s = destinations();
      const missing = uniqueName('missing');
      const base = `amqp://guest:guest@127.0.0.1:${RABBIT_PORT}/`;
      const [bad, good] = await Promise.all([
        s.send(request(`${base}?exchange=${missing}&routingKey=paid`)),
        s.send(request(`${base}?exchange=${q.exchange}&routingKey=paid`)),
      ]);
      expect(bad.errorKind).toBe('refused');
      expect(bad.errorDetail).toContain(`no exchange '${missing}'`);
      expect(good.errorKind).toBeNull();
      expect(await q.exchangeExists(missing)).toBe(false);
      expect(await q.read()).toHaveLength(1);
    });

    it('records bad credentials as refused, never repeating the password', async () => {
      const s = destinations();
      const result = await s.send(
        request(`amqp://guest:Sup3rSecretPw@127.0.0.1:${RABBIT_PORT}/?exchange=amq.direct&routingKey=x`),
      );
      expect(result.errorKind).toBe('refused');
      expect(result.errorDetail).toMatch(/ACCESS.REFUSED/);
      expect(result.errorDetail).not.toContain('Sup3rSecretPw');
    });
  });

  describe('NATS JetStream', () => {
    it('publishes with the stream ack, signed, with Nats-Msg-Id; a re-sent duplicate is a success stored once', async () => {
      const st = await natsStream();
      cleanup.push(() => st.close());
      const s = destinations();
      const req = request(`nats://127.0.0.1:${NATS_PORT}?subject=${st.subject}`);
      const first = await s.send(req);
      expect(first.errorKind).toBeNull();
      expect(JSON.parse(first.body)).toEqual({ stream: st.name, seq: 1, duplicate: false });
      // A retry signs again with a fresh timestamp but keeps webhook-id: JetStream drops it.
      const again = await s.send({ ...request(req.url, req.msgId) });
      expect(again.errorKind).toBeNull();
      expect(JSON.parse(again.body)).toEqual({ stream: st.name, seq: 1, duplicate: true });
      const stored = await st.messages();
      expect(stored).toHaveLength(1);
      const m = stored[0]!;
      expect(m.header.get('Nats-Msg-Id')).toBe(req.msgId);
      expect(m.header.get('event-type')).toBe('invoice.paid');
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, m.header.get(h)]),
      );
      const body = new TextDecoder().decode(m.data);
      expect(body).toBe(req.body);
      expect(verify(body, headers)).toEqual({ amount: 1200, currency: 'EUR' });
    });

    it('records a subject no stream takes as unroutable', async () => {
      const s = destinations();
      const subject = `${uniqueName('nostream').replace(/-/g, '_')}.x`;
      const result = await s.send(request(`nats://127.0.0.1:${NATS_PORT}?subject=${subject}`));
      expect(result.errorKind).toBe('unroutable');
      expect(result.errorDetail).toContain(subject);
    });
  });

  describe('Redis Streams', () => {
    it('adds one entry with the payload, signature and event type fields', async () => {
      const rs = await redisStream();
      cleanup.push(() => rs.close());
      const s = destinations();
      const req = request(`redis://127.0.0.1:${REDIS_PORT}/0?stream=${rs.stream}`);
      const result = await s.send(req);
      expect(result.errorKind).toBeNull();
      const [entry, ...rest] = await rs.entries();
      expect(rest).toHaveLength(0);
      expect(JSON.parse(result.body).stream).toBe(rs.stream);
      expect(entry!['payload']).toBe(req.body);
      expect(entry!['event-type']).toBe('invoice.paid');
      expect(entry!['webhook-id']).toBe(req.msgId);
      expect(verify(entry!['payload']!, entry!)).toEqual({ amount: 1200, currency: 'EUR' });
    });

    it('trims the stream to about maxLen entries', async () => {
      const rs = await redisStream();
      cleanup.push(() => rs.close());
      const s = destinations();
      for (let i = 0; i < 300; i++) {
        const r = await s.send(request(`redis://127.0.0.1:${REDIS_PORT}/0?stream=${rs.stream}&maxLen=10`));
        expect(r.errorKind).toBeNull();
      }
      const length = await rs.redis.xlen(rs.stream);
      // Approximate trimming removes whole nodes (100 entries by default): far fewer than 300 remain.
      expect(length).toBeGreaterThanOrEqual(10);
      expect(length).toBeLessThan(300);
    });

    it('records a server refusal (wrong key type) as refused', async () => {
      const rs = await redisStream();
      cleanup.push(() => rs.close());
      await rs.redis.set(rs.stream, 'not a stream');
      const s = destinations();
      const result = await s.send(request(`redis://127.0.0.1:${REDIS_PORT}/0?stream=${rs.stream}`));
      expect(result.errorKind).toBe('refused');
      expect(result.errorDetail).toContain('WRONGTYPE');
    });
  });

  describe('address guard', () => {
    const urls = {
      rabbitmq: (host: string) => `amqp://guest:guest@${host}:${RABBIT_PORT}/?exchange=amq.direct&routingKey=x`,
      nats: (host: string) => `nats://${host}:${NATS_PORT}?subject=hookway.guard`,
      redis: (host: string) => `redis://${host}:${REDIS_PORT}/0?stream=hookway-guard`,
    };

    it.each(Object.entries(urls))('%s: a private broker host is refused without the allowlist', async (_kind, url) => {
      const s = destinations([]);
      const result = await s.send(request(url('127.0.0.1')));
      expect(result.errorKind).toBe('blocked');
      expect(result.errorDetail).toContain('127.0.0.0/8');
    });

    it.each(Object.entries(urls))(
      '%s: a name that resolves to a private address is refused at connect time',
      async (_kind, url) => {
        let lookups = 0;
        const lookup = ((
          _host: string,
          _opts: unknown,
          cb: (e: null, a: Array<{ address: string; family: number }>) => void,
        ) => {
          lookups++;
          cb(null, [{ address: '10.0.0.7', family: 4 }]);
        }) as never;
        const s = destinations([], lookup);
        const result = await s.send(request(url('broker.example')));
        expect(result.errorKind).toBe('blocked');
        expect(result.errorDetail).toContain('10.0.0.7');
        expect(lookups).toBe(1);
      },
    );
  });

  describe('connections through a TCP proxy', () => {
    type Case = { port: number; setup: () => Promise<{ url: (port: number) => string; count: () => Promise<number> }> };
    const cases: Record<string, Case> = {
      rabbitmq: {
        port: RABBIT_PORT,
        async setup() {
          const q = await rabbitQueue('paid');
          cleanup.push(() => q.close());
          let got = 0;
          return {
            url: (p) => `amqp://guest:guest@127.0.0.1:${p}/?exchange=${q.exchange}&routingKey=paid`,
            count: async () => (got += (await q.read()).length),
          };
        },
      },
      nats: {
        port: NATS_PORT,
        async setup() {
          const st = await natsStream();
          cleanup.push(() => st.close());
          return {
            url: (p) => `nats://127.0.0.1:${p}?subject=${st.subject}`,
            count: async () => (await st.messages()).length,
          };
        },
      },
      redis: {
        port: REDIS_PORT,
        async setup() {
          const rs = await redisStream();
          cleanup.push(() => rs.close());
          return {
            url: (p) => `redis://127.0.0.1:${p}/0?stream=${rs.stream}`,
            count: async () => (await rs.entries()).length,
          };
        },
      },
    };

    it.each(Object.entries(cases))(
      '%s: one pooled connection, re-established after a drop; unreachable is a network failure',
      async (_kind, c) => {
        const target = await c.setup();
        const proxy = await TcpProxy.start(c.port);
        cleanup.push(() => proxy.stop());
        const s = destinations();
        const url = target.url(proxy.port);

        const results = await Promise.all(Array.from({ length: 5 }, () => s.send(request(url))));
        expect(results.map((r) => r.errorKind)).toEqual([null, null, null, null, null]);
        expect(proxy.accepted).toBe(1);

        // The broker restarts (every connection cut): the next publish connects again.
        proxy.drop();
        await new Promise((r) => setTimeout(r, 100));
        const afterDrop = await s.send(request(url));
        expect(afterDrop.errorKind).toBeNull();
        expect(proxy.accepted).toBe(2);

        // Unreachable: a failed attempt with the reason, quickly, and no throw.
        await proxy.stop();
        const down = await s.send({ ...request(url), timeoutMs: 2000 });
        expect(down.errorKind).toBe('network');
        expect(down.errorDetail).toMatch(/ECONNREFUSED|closed|CONNECTION_REFUSED|refused/i);

        // It comes back on the same port: delivered again.
        await proxy.start();
        const back = await s.send(request(url));
        expect(back.errorKind).toBeNull();
        expect(await target.count()).toBe(7);
      },
    );
  });
});
