/**
 * Endpoint URLs name a destination: an HTTP server, or a message broker
 * (RabbitMQ, NATS JetStream, Redis Streams). Broker URLs may carry
 * credentials in their userinfo; these helpers keep that secret out of
 * everything but the connection itself. Pure.
 *
 * The secret of a URL is its password, or, when there is no password, its
 * user name (a NATS or Redis token is written `nats://TOKEN@host`).
 */

export type DestinationKind = 'http' | 'rabbitmq' | 'nats' | 'redis-stream';

const KINDS: Record<string, DestinationKind> = {
  'http:': 'http',
  'https:': 'http',
  'amqp:': 'rabbitmq',
  'amqps:': 'rabbitmq',
  'nats:': 'nats',
  'redis:': 'redis-stream',
  'rediss:': 'redis-stream',
};

/** What an API answer shows in place of a URL's secret. */
export const CREDENTIAL_MASK = '****';

/** The destination a URL names, by its scheme; null for a scheme Hookway does not deliver to. */
export function destinationKind(url: string | URL): DestinationKind | null {
  const parsed = typeof url === 'string' ? tryParse(url) : url;
  return parsed ? (KINDS[parsed.protocol] ?? null) : null;
}

export function isBrokerUrl(url: string): boolean {
  const kind = destinationKind(url);
  return kind !== null && kind !== 'http';
}

/** The URL with its secret masked and that secret apart (null when the URL carries none). */
export function splitCredential(url: string): { masked: string; secret: string | null } {
  const parsed = tryParse(url);
  if (!parsed || (parsed.username === '' && parsed.password === '')) return { masked: url, secret: null };
  if (parsed.password !== '') {
    const secret = decodeURIComponent(parsed.password);
    parsed.password = CREDENTIAL_MASK;
    return { masked: parsed.href, secret };
  }
  const secret = decodeURIComponent(parsed.username);
  parsed.username = CREDENTIAL_MASK;
  return { masked: parsed.href, secret };
}

/** The inverse of splitCredential: puts the secret back where the mask stands. */
export function joinCredential(masked: string, secret: string | null): string {
  if (secret === null) return masked;
  const parsed = tryParse(masked);
  if (!parsed) return masked;
  if (parsed.password === CREDENTIAL_MASK) parsed.password = encodeURIComponent(secret);
  else if (parsed.username === CREDENTIAL_MASK) parsed.username = encodeURIComponent(secret);
  else return masked;
  return parsed.href;
}

/** The URL as it may be shown: in API answers, attempt records, logs and error texts. */
export function maskCredential(url: string): string {
  return splitCredential(url).masked;
}

/** Whether the URL's secret is the mask itself (a URL read from the API and sent back). */
export function hasMaskedCredential(url: string): boolean {
  const parsed = tryParse(url);
  if (!parsed) return false;
  return parsed.password === CREDENTIAL_MASK || (parsed.password === '' && parsed.username === CREDENTIAL_MASK);
}

/**
 * Where a URL connects to: scheme, user and host. A masked credential sent
 * back is only filled in from the stored one when this is unchanged, so
 * pointing an endpoint at another host never carries the old secret there.
 */
export function connectionIdentity(url: string): string | null {
  const parsed = tryParse(url);
  if (!parsed) return null;
  const user = parsed.password === '' ? '' : parsed.username;
  return `${parsed.protocol}//${user}@${parsed.host}`;
}

function tryParse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
