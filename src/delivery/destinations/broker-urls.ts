import type { Parsed } from './broker-result.js';

/**
 * What a broker URL names (the target the destination publishes to), or why
 * it cannot be used. Apart from the destinations, which load their client
 * libraries: the API checks every endpoint URL with these, and importing a
 * client there cost the main thread its memory (~30 MB for the three) even
 * when no endpoint is a broker.
 */

/** The subject of a nats URL. */
export function parseNatsUrl(url: URL): Parsed<string> {
  for (const name of url.searchParams.keys()) {
    if (name !== 'subject') return { ok: false, reason: `unknown parameter "${name}" (use subject)` };
  }
  const subject = url.searchParams.get('subject') ?? '';
  if (!/^[^\s*>]+$/.test(subject) || subject.split('.').some((t) => t === '')) {
    return { ok: false, reason: 'give ?subject=NAME: dot-separated tokens, no spaces or wildcards' };
  }
  if (url.pathname !== '' && url.pathname !== '/') return { ok: false, reason: 'a nats:// URL has no path' };
  return { ok: true, target: subject };
}

/** The exchange and routing key of an amqp(s) URL. */
export interface RabbitTarget {
  exchange: string;
  routingKey: string;
}

const PARAMS = new Set(['exchange', 'routingKey']);

export function parseRabbitUrl(url: URL): Parsed<RabbitTarget> {
  for (const name of url.searchParams.keys()) {
    if (!PARAMS.has(name)) return { ok: false, reason: `unknown parameter "${name}" (use exchange and routingKey)` };
  }
  const exchange = url.searchParams.get('exchange') ?? '';
  const routingKey = url.searchParams.get('routingKey') ?? '';
  if (exchange === '' && routingKey === '') {
    return {
      ok: false,
      reason: 'give ?exchange=NAME and/or ?routingKey=KEY (the default exchange routes by queue name)',
    };
  }
  if (exchange.length > 255 || routingKey.length > 255)
    return { ok: false, reason: 'exchange and routingKey are at most 255 characters' };
  return { ok: true, target: { exchange, routingKey } };
}

/** The database, stream and trim length of a redis(s) URL. */
export interface RedisTarget {
  db: number;
  stream: string;
  maxLen: number | null;
}

export function parseRedisUrl(url: URL): Parsed<RedisTarget> {
  for (const name of url.searchParams.keys()) {
    if (name !== 'stream' && name !== 'maxLen')
      return { ok: false, reason: `unknown parameter "${name}" (use stream and maxLen)` };
  }
  const stream = url.searchParams.get('stream') ?? '';
  if (stream === '' || stream.length > 512) return { ok: false, reason: 'give ?stream=NAME (at most 512 characters)' };
  const dbText = url.pathname.replace(/^\//, '');
  if (!/^\d{0,2}$/.test(dbText)) return { ok: false, reason: 'the path is the database number, e.g. /0' };
  const maxLenText = url.searchParams.get('maxLen');
  const maxLen = maxLenText === null ? null : Number(maxLenText);
  if (maxLen !== null && !(Number.isInteger(maxLen) && maxLen >= 1)) {
    return { ok: false, reason: 'maxLen must be a whole number of entries, at least 1' };
  }
  return { ok: true, target: { db: dbText === '' ? 0 : Number(dbText), stream, maxLen } };
}
