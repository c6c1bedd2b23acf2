import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import amqp from 'amqplib';
import { Redis } from 'ioredis';

/**
 * The machine's real brokers (RabbitMQ 5672 guest/guest, NATS JetStream
 * 4222, Redis 6379), for tests. Nothing here skips when one is missing:
 * connecting fails and so does the test. Every test uses its own exchange,
 * queue, stream and subject names and removes them afterwards.
 */
export const RABBIT_PORT = 5672;
export const NATS_PORT = 4222;
export const REDIS_PORT = 6379;

export function uniqueName(label: string): string {
  return `hookway-test-${label}-${randomBytes(4).toString('hex')}`;
}

/** A direct exchange bound to a fresh queue by `routingKey`; read() takes what arrived. */
export async function rabbitQueue(routingKey = 'events') {
  const conn = await amqp.connect(`amqp://guest:guest@127.0.0.1:${RABBIT_PORT}`);
  const ch = await conn.createChannel();
  const exchange = uniqueName('ex');
  const queue = uniqueName('q');
  await ch.assertExchange(exchange, 'direct', { durable: false, autoDelete: false });
  await ch.assertQueue(queue, { durable: false });
  await ch.bindQueue(queue, exchange, routingKey);
  return {
    exchange,
    queue,
    routingKey,
    conn,
    async read(): Promise<amqp.GetMessage[]> {
      const out: amqp.GetMessage[] = [];
      for (;;) {
        const m = await ch.get(queue, { noAck: true });
        if (!m) return out;
        out.push(m);
      }
    },
    async exchangeExists(name: string): Promise<boolean> {
      const probe = await conn.createChannel();
      probe.on('error', () => {});
      try {
        await probe.checkExchange(name);
        await probe.close();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await ch.deleteQueue(queue);
      await ch.deleteExchange(exchange);
      await conn.close();
    },
  };
}

/** A JetStream stream on `subject` with a duplicate window; messages() reads what it holds. */
export async function natsStream(label = 'st') {
  const nc = await natsConnect({ servers: `127.0.0.1:${NATS_PORT}` });
  const jsm = await jetstreamManager(nc);
  const name = uniqueName(label).replace(/-/g, '_');
  const subject = `${name}.events`;
  await jsm.streams.add({ name, subjects: [subject], duplicate_window: 60_000_000_000 });
  return {
    name,
    subject,
    async messages() {
      const info = await jsm.streams.info(name);
      const out = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        out.push(await jsm.streams.getMessage(name, { seq }));
      }
      return out.filter((m) => m !== null);
    },
    async close() {
      await jsm.streams.delete(name);
      await nc.close();
    },
  };
}

/** A Redis client for reading a test stream; close() deletes the stream. */
export async function redisStream(label = 'rs') {
  const redis = new Redis({ host: '127.0.0.1', port: REDIS_PORT, lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis.connect();
  const stream = uniqueName(label);
  return {
    stream,
    redis,
    /** Entries as objects of their fields. */
    async entries(): Promise<Array<Record<string, string>>> {
      const rows = await redis.xrange(stream, '-', '+');
      return rows.map(([, fields]) => {
        const o: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) o[fields[i]!] = fields[i + 1]!;
        return o;
      });
    },
    async close() {
      await redis.del(stream);
      redis.disconnect();
    },
  };
}
