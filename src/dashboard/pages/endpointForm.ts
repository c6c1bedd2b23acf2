import type { Pair } from '../components/KeyValueEditor';
import { type Endpoint, type EndpointFormat, FORMATS } from '../types';

/** The endpoint dialog's fields as the user typed them (strings), and their checks. */
export interface EndpointFields {
  url: string;
  description: string;
  filterTypes: string[];
  channels: string;
  filter: string;
  headers: Pair[];
  timeoutMs: string;
  retrySchedule: string;
  rateLimit: string;
  format: EndpointFormat;
  disabled: boolean;
  fifo: boolean;
  secret: string;
}

export function fieldsOf(ep: Endpoint | undefined, headers: Record<string, string>): EndpointFields {
  return {
    url: ep?.url ?? '',
    description: ep?.description ?? '',
    filterTypes: ep?.filterTypes ?? [],
    channels: (ep?.channels ?? []).join(', '),
    filter: ep?.filter ?? '',
    headers: Object.entries(headers),
    timeoutMs: ep?.timeoutMs?.toString() ?? '',
    retrySchedule: (ep?.retrySchedule ?? []).join(', '),
    rateLimit: ep?.rateLimit?.toString() ?? '',
    format: ep?.format && FORMATS.includes(ep.format) ? ep.format : 'standard',
    disabled: ep?.disabled ?? false,
    fifo: ep?.fifo ?? false,
    secret: '',
  };
}

export type FieldErrors = Partial<Record<keyof EndpointFields, string>>;

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** HTTP, and the brokers an endpoint may publish to (RabbitMQ, NATS JetStream, Redis Streams). */
const DESTINATION_SCHEMES = ['https:', 'http:', 'amqp:', 'amqps:', 'nats:', 'redis:', 'rediss:'];

/** Whether a URL names a broker rather than an HTTP server. */
export function isBrokerUrl(url: string): boolean {
  return /^(amqps?|nats|rediss?):/i.test(url.trim());
}

export function validate(f: EndpointFields): FieldErrors {
  const errors: FieldErrors = {};
  try {
    const url = new URL(f.url.trim());
    if (!DESTINATION_SCHEMES.includes(url.protocol))
      errors.url = 'The URL must start with https:// or http://, or name a broker (amqp://, nats://, redis://).';
  } catch {
    errors.url = 'Enter a full URL, such as https://example.com/webhooks.';
  }
  if (f.timeoutMs && !(/^\d+$/.test(f.timeoutMs) && Number(f.timeoutMs) >= 1 && Number(f.timeoutMs) <= 300_000))
    errors.timeoutMs = 'A whole number of milliseconds between 1 and 300000.';
  if (f.retrySchedule && !list(f.retrySchedule).every((s) => /^\d+$/.test(s)))
    errors.retrySchedule = 'Seconds between attempts, separated by commas (e.g. 5, 300, 1800).';
  if (f.rateLimit && !/^\d+$/.test(f.rateLimit)) errors.rateLimit = 'A whole number of messages per second.';
  if (f.secret && !/^whsec_[A-Za-z0-9+/=]{24,}$/.test(f.secret))
    errors.secret = 'A secret looks like whsec_ followed by base64 (leave empty to generate one).';
  if (f.headers.some(([k, v]) => (k.trim() === '') !== (v === '')))
    errors.headers = 'Every header needs a name and a value.';
  return errors;
}

/** The JSON body of create (POST) and update (PUT): empty optional fields mean "server default". */
export function bodyOf(f: EndpointFields, existing?: Endpoint): Record<string, unknown> {
  const channels = list(f.channels);
  const schedule = list(f.retrySchedule).map(Number);
  return {
    url: f.url.trim(),
    description: f.description.trim(),
    filterTypes: f.filterTypes.length ? f.filterTypes : null,
    channels: channels.length ? channels : null,
    filter: f.filter.trim() || null,
    disabled: f.disabled,
    fifo: f.fifo,
    rateLimit: f.rateLimit ? Number(f.rateLimit) : null,
    metadata: existing?.metadata ?? {},
    ...(existing ? { version: existing.version, uid: existing.uid } : {}),
    timeoutMs: f.timeoutMs ? Number(f.timeoutMs) : null,
    retrySchedule: schedule.length ? schedule : null,
    format: f.format,
    ...(f.secret && !existing ? { secret: f.secret } : {}),
  };
}

export const headersOf = (pairs: Pair[]): Record<string, string> =>
  Object.fromEntries(pairs.filter(([k]) => k.trim()).map(([k, v]) => [k.trim(), v]));
