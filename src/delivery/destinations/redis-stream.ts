import type { LookupFunction } from 'node:net';
import { Redis } from 'ioredis';
import type { Cidr } from '../guard/cidr.js';
import type { Sender, SendRequest, SendResult } from '../sender.js';
import { brokerHeaders } from './broker-headers.js';
import { resolveBrokerHost } from './broker-host.js';
import { brokerSend, PublishError } from './broker-result.js';
import { parseRedisUrl } from './broker-urls.js';
import { connectionKey, createPool } from './pool.js';

/**
 * Redis Streams: `redis://[user:pass@]host:port/DB?stream=NAME[&maxLen=N]`
 * (`rediss://` for TLS). Each delivery is one `XADD` with the fields
 * `payload`, `webhook-id`, `webhook-timestamp`, `webhook-signature` and
 * `event-type`; the answer (the entry id) is the acknowledgement. With
 * `maxLen` the stream is trimmed approximately (`MAXLEN ~ N`), which Redis
 * does in whole nodes and is far cheaper than exact trimming.
 *
 * ioredis never reconnects or queues commands by itself here: a dropped
 * connection leaves the pool, and the next delivery connects again through
 * the address guard.
 */
export interface RedisOptions {
  allow: readonly Cidr[];
  lookup?: LookupFunction | undefined;
}

export function createRedisStreamDestination(opts: RedisOptions): Sender {
  const pool = createPool<Redis>(async (r) => {
    r.disconnect();
  });

  async function open(url: URL, db: number, timeoutMs: number): Promise<Redis> {
    const host = await resolveBrokerHost(url.hostname, opts.allow, opts.lookup);
    const tls = url.protocol === 'rediss:';
    const redis = new Redis({
      host: host.address,
      port: url.port === '' ? 6379 : Number(url.port),
      db,
      ...(url.username !== '' && url.password !== '' && { username: decodeURIComponent(url.username) }),
      ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
      ...(tls && { tls: host.name ? { servername: host.name } : {} }),
      lazyConnect: true,
      connectTimeout: timeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectionName: 'hookway',
    });
    // ioredis rejects a failed connect with "Connection is closed."; the socket's own error says why.
    let cause: unknown = null;
    redis.on('error', (err) => {
      cause = err;
    });
    redis.on('end', () => pool.drop(connectionKey(url), redis));
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw cause ?? err;
    }
    return redis;
  }

  function send(req: SendRequest): Promise<SendResult> {
    return brokerSend(req, parseRedisUrl, async (url, { db, stream, maxLen }, timeoutMs) => {
      const h = brokerHeaders(req);
      const fields = [
        'payload',
        req.body.toString(),
        'webhook-id',
        h.webhookId,
        'webhook-timestamp',
        h.headers['webhook-timestamp'] ?? '',
        'webhook-signature',
        h.headers['webhook-signature'] ?? '',
        'event-type',
        req.eventType ?? '',
      ];
      const redis = await pool.get(connectionKey(url), () => open(url, db, timeoutMs));
      const trim = maxLen === null ? [] : ['MAXLEN', '~', String(maxLen)];
      try {
        const id = await redis.call('XADD', stream, ...trim, '*', ...fields);
        return { stream, id: String(id) };
      } catch (err) {
        // A reply error (wrong type, out of memory, no permission) is the server refusing.
        if ((err as Error).name === 'ReplyError') throw new PublishError('refused', (err as Error).message);
        throw err;
      }
    });
  }

  return { send, close: () => pool.close() };
}
