// What the peer's API and worker processes share: the Redis connection, the queue name and the
// endpoint list, kept in Redis and cached for a second in each process (as Hookway caches it).
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.PEER_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key of one peer instance starts with this, so parallel runs never meet and cleanup is one scan. */
export const PREFIX = process.env.PEER_PREFIX ?? 'peer';
export const QUEUE = 'deliveries';

export function connect() {
  // BullMQ requires maxRetriesPerRequest: null on the connections its workers block on.
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
}

const endpointsKey = (app) => `${PREFIX}:endpoints:${app}`;

export async function addEndpoint(redis, app, endpoint) {
  await redis.rpush(endpointsKey(app), JSON.stringify(endpoint));
}

/** The endpoints of an app, from a one-second cache. */
export function endpointCache(redis) {
  const cache = new Map();
  return async (app) => {
    const hit = cache.get(app);
    if (hit && hit.until > Date.now()) return hit.list;
    const list = (await redis.lrange(endpointsKey(app), 0, -1)).map((s) => JSON.parse(s));
    cache.set(app, { list, until: Date.now() + 1000 });
    return list;
  };
}

/** Deletes every key of this instance (the queue's and the endpoint lists). */
export async function dropAll(redis) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
