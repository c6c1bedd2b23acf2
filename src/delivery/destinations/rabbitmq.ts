import type { LookupFunction } from 'node:net';
import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { Cidr } from '../guard/cidr.js';
import type { Sender, SendRequest, SendResult } from '../sender.js';
import { brokerHeaders } from './broker-headers.js';
import { resolveBrokerHost } from './broker-host.js';
import { brokerSend, PublishError } from './broker-result.js';
import { parseRabbitUrl, type RabbitTarget } from './broker-urls.js';
import { connectionKey, createPool } from './pool.js';

/**
 * RabbitMQ: `amqp://user:pass@host:port/vhost?exchange=NAME&routingKey=KEY`
 * (`amqps://` for TLS). Each publish is persistent and `mandatory` on a
 * confirm channel: success is the broker's ack; a nack, a message no queue
 * took (returned, `unroutable`) or a missing exchange (`refused`; exchanges
 * are never declared on the fly) is a failed attempt. `webhook-id` is also
 * the AMQP `messageId`, the event type the AMQP `type`.
 *
 * One connection per broker; one confirm channel per exchange on it, because
 * RabbitMQ answers a publish to a missing exchange by closing the channel,
 * which must not fail publishes to other exchanges in flight.
 */
interface Connection {
  model: ChannelModel;
  channels: Map<string, Promise<Channel>>;
}

interface Channel {
  ch: ConfirmChannel;
  /** Why the broker closed the channel, for the publishes it takes down. */
  closedBy: Error | null;
  /** Returned (unroutable) publishes not yet matched with their ack, by routing key and message id. */
  returned: Map<string, number>;
}

export interface RabbitOptions {
  allow: readonly Cidr[];
  lookup?: LookupFunction | undefined;
}

export function createRabbitDestination(opts: RabbitOptions): Sender {
  const pool = createPool<Connection>((c) => c.model.close());

  async function open(url: URL, timeoutMs: number): Promise<Connection> {
    const host = await resolveBrokerHost(url.hostname, opts.allow, opts.lookup);
    const tls = url.protocol === 'amqps:';
    const vhost = decodeURIComponent(url.pathname.replace(/^\//, '')) || '/';
    const model = await amqp.connect(
      {
        protocol: tls ? 'amqps' : 'amqp',
        hostname: host.address,
        port: url.port === '' ? (tls ? 5671 : 5672) : Number(url.port),
        username: decodeURIComponent(url.username) || 'guest',
        password: decodeURIComponent(url.password) || 'guest',
        vhost,
        heartbeat: 30,
      },
      { timeout: timeoutMs, noDelay: true, ...(tls && host.name && { servername: host.name }) },
    );
    const conn: Connection = { model, channels: new Map() };
    // Errors are reported to the publishes they affect; an unhandled 'error' would kill the process.
    model.on('error', () => {});
    model.on('close', () => pool.drop(connectionKey(url), conn));
    return conn;
  }

  function channel(conn: Connection, exchange: string): Promise<Channel> {
    let entry = conn.channels.get(exchange);
    if (!entry) {
      entry = conn.model.createConfirmChannel().then((ch) => {
        const c: Channel = { ch, closedBy: null, returned: new Map() };
        ch.on('error', (err: Error) => {
          c.closedBy = err;
        });
        ch.on('close', () => conn.channels.delete(exchange));
        ch.on('return', (msg: ConsumeMessage) => {
          const key = returnKey(msg.fields.routingKey, msg.properties.messageId);
          c.returned.set(key, (c.returned.get(key) ?? 0) + 1);
        });
        return c;
      });
      entry.catch(() => conn.channels.delete(exchange));
      conn.channels.set(exchange, entry);
    }
    return entry;
  }

  function publish(c: Channel, target: RabbitTarget, req: SendRequest): Promise<Record<string, unknown>> {
    const h = brokerHeaders(req);
    return new Promise((resolve, reject) => {
      c.ch.publish(
        target.exchange,
        target.routingKey,
        Buffer.from(req.body),
        {
          persistent: true,
          mandatory: true,
          messageId: h.webhookId,
          timestamp: Number(h.headers['webhook-timestamp']) || undefined,
          contentType: 'application/json',
          ...(req.eventType !== undefined && { type: req.eventType }),
          headers: h.headers,
        },
        (err: unknown) => {
          // RabbitMQ sends basic.return before the ack of the same publish.
          const key = returnKey(target.routingKey, h.webhookId);
          const returns = c.returned.get(key) ?? 0;
          if (returns > 0) {
            if (returns === 1) c.returned.delete(key);
            else c.returned.set(key, returns - 1);
            if (!err) {
              const where = target.exchange === '' ? 'the default exchange' : `exchange "${target.exchange}"`;
              reject(
                new PublishError('unroutable', `no queue is bound for routing key "${target.routingKey}" on ${where}`),
              );
              return;
            }
          }
          if (!err) return resolve({ exchange: target.exchange, routingKey: target.routingKey, confirmed: true });
          // The broker closed the channel (a missing exchange) or nacked: refused. The channel went
          // down with its connection: a network failure, tried again on a new connection.
          if (c.closedBy) reject(new PublishError('refused', c.closedBy.message));
          else if (/nack/i.test(String((err as Error)?.message)))
            reject(new PublishError('refused', 'the broker nacked the message'));
          else reject(new Error(`the connection to the broker closed before the publish was confirmed`));
        },
      );
    });
  }

  function send(req: SendRequest): Promise<SendResult> {
    return brokerSend(req, parseRabbitUrl, async (url, target, timeoutMs) => {
      const conn = await pool.get(connectionKey(url), () => open(url, timeoutMs)).catch(refusedOnHandshake);
      return publish(await channel(conn, target.exchange), target, req);
    });
  }

  return { send, close: () => pool.close() };
}

function returnKey(routingKey: string, messageId: unknown): string {
  return `${routingKey}\0${String(messageId)}`;
}

/** Bad credentials or a vhost the user may not use: the broker refused, the network is fine. */
function refusedOnHandshake(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (/ACCESS[-_]REFUSED|NOT[-_]ALLOWED/.test(message)) throw new PublishError('refused', message);
  throw err;
}
