import type { LookupFunction } from 'node:net';
import { type JetStreamClient, jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import type { Cidr } from '../guard/cidr.js';
import type { Sender, SendRequest, SendResult } from '../sender.js';
import { brokerHeaders } from './broker-headers.js';
import { resolveBrokerHost } from './broker-host.js';
import { brokerSend, PublishError } from './broker-result.js';
import { parseNatsUrl } from './broker-urls.js';
import { connectionKey, createPool } from './pool.js';

/**
 * NATS JetStream: `nats://[user:pass@|token@]host:port?subject=NAME`. Success
 * is the stream's publish ack. `webhook-id` is sent as `Nats-Msg-Id`, so a
 * retry the stream already holds comes back as a duplicate ack: a success,
 * stored once. A subject no stream takes is a failed attempt (`unroutable`).
 *
 * The client is told to ignore the cluster's gossip of other servers
 * (`ignoreClusterUpdates`) and never reconnects by itself: a dropped
 * connection leaves the pool and the next publish connects again, to the
 * URL's host, through the address guard. TLS (`tls://`) is not supported:
 * the checked address is what the client dials, and the NATS client cannot
 * be given a separate TLS server name.
 */
interface Connection {
  nc: NatsConnection;
  js: JetStreamClient;
}

export interface NatsOptions {
  allow: readonly Cidr[];
  lookup?: LookupFunction | undefined;
}

export function createNatsDestination(opts: NatsOptions): Sender {
  const pool = createPool<Connection>((c) => c.nc.close());

  async function open(url: URL, timeoutMs: number): Promise<Connection> {
    const host = await resolveBrokerHost(url.hostname, opts.allow, opts.lookup);
    const server = host.address.includes(':') ? `[${host.address}]` : host.address;
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    const nc = await connect({
      servers: `${server}:${url.port || '4222'}`,
      reconnect: false,
      ignoreClusterUpdates: true,
      noRandomize: true,
      timeout: timeoutMs,
      name: 'hookway',
      ...(pass !== '' ? { user, pass } : user !== '' ? { token: user } : {}),
    });
    const conn: Connection = { nc, js: jetstream(nc) };
    void nc.closed().finally(() => pool.drop(connectionKey(url), conn));
    return conn;
  }

  async function publish(conn: Connection, subject: string, req: SendRequest, timeoutMs: number) {
    const h = brokerHeaders(req);
    const hdrs = natsHeaders();
    for (const [name, value] of Object.entries(h.headers)) hdrs.set(name, value);
    hdrs.set('content-type', 'application/json');
    try {
      const ack = await conn.js.publish(subject, req.body, { msgID: h.webhookId, headers: hdrs, timeout: timeoutMs });
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } catch (err) {
      throw asPublishError(err, subject);
    }
  }

  function send(req: SendRequest): Promise<SendResult> {
    return brokerSend(req, parseNatsUrl, async (url, subject, timeoutMs) => {
      const conn = await pool.get(connectionKey(url), () => open(url, timeoutMs)).catch(refusedOnAuth);
      return publish(conn, subject, req, timeoutMs);
    });
  }

  return { send, close: () => pool.close() };
}

/**
 * No responders on the subject: no stream takes it (the client reports this
 * as "jetstream is not enabled", which is misleading here).
 */
function asPublishError(err: unknown, subject: string): unknown {
  const e = err as { name?: unknown; message?: unknown };
  if (e?.name === 'JetStreamNotEnabled' || e?.name === 'NoRespondersError') {
    return new PublishError('unroutable', `no JetStream stream takes subject "${subject}"`);
  }
  if (e?.name === 'JetStreamApiError') return new PublishError('refused', String(e.message));
  return err;
}

function refusedOnAuth(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  if (/authorization|authentication|permissions/i.test(message)) throw new PublishError('refused', message);
  throw err;
}
