/**
 * JSON Schemas of request bodies. Fastify compiles them once (ajv); a body
 * that does not match answers 422 `validation` naming the field.
 * `additionalProperties` is allowed, as Svix's API does, so newer clients
 * sending extra fields keep working.
 */

import { MAX_FILTER_LENGTH } from '../core/filter.js';
import { ACCEPTED_FORMATS } from '../core/formats.js';

const uid = { type: ['string', 'null'], pattern: '^[a-zA-Z0-9\\-_.]+$', minLength: 1, maxLength: 256 } as const;
const metadata = {
  type: 'object',
  additionalProperties: { type: 'string', maxLength: 4096 },
  maxProperties: 50,
} as const;
const rateLimit = { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 } as const;
const stringList = (max: number, itemMax = 256) =>
  ({ type: ['array', 'null'], items: { type: 'string', minLength: 1, maxLength: itemMax }, maxItems: max }) as const;

export const applicationIn = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 256 },
    uid,
    rateLimit,
    metadata,
    throttleRate: rateLimit,
  },
} as const;

export const applicationPatch = {
  type: 'object',
  properties: applicationIn.properties,
} as const;

export const eventTypeIn = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-zA-Z0-9\\-_.]+$', minLength: 1, maxLength: 256 },
    description: { type: 'string', maxLength: 4096 },
    archived: { type: 'boolean' },
    deprecated: { type: 'boolean' },
    schemas: { type: ['object', 'null'], maxProperties: 20 },
    featureFlag: { type: ['string', 'null'], maxLength: 256 },
    groupName: { type: ['string', 'null'], maxLength: 256 },
  },
} as const;

const { name: _name, ...eventTypeFields } = eventTypeIn.properties;
export const eventTypeUpdate = { type: 'object', properties: eventTypeFields } as const;

const endpointProps = {
  url: {
    type: 'string',
    minLength: 1,
    maxLength: 2048,
    description:
      'Where deliveries go: an HTTP(S) URL, or a broker: `amqp(s)://user:pass@host:port/vhost?exchange=NAME&routingKey=KEY` (RabbitMQ), `nats://[user:pass@]host:port?subject=NAME` (NATS JetStream), `redis(s)://[user:pass@]host:port/DB?stream=NAME[&maxLen=N]` (Redis Streams). Credentials are allowed in broker URLs only; answers show them as `****`, and a `****` sent back unchanged keeps the stored credential.',
  },
  description: { type: 'string', maxLength: 4096 },
  version: { type: ['integer', 'null'], minimum: 1 },
  uid,
  filterTypes: stringList(100),
  channels: stringList(10, 128),
  disabled: { type: 'boolean' },
  rateLimit,
  throttleRate: rateLimit,
  metadata,
  secret: { type: ['string', 'null'], maxLength: 200 },
  signing: { type: 'string', enum: ['hmac', 'ed25519'] },
  headers: { type: ['object', 'null'], additionalProperties: { type: 'string', maxLength: 4096 }, maxProperties: 50 },
  timeoutMs: { type: ['integer', 'null'], minimum: 100, maximum: 45_000 },
  retrySchedule: { type: ['array', 'null'], items: { type: 'integer', minimum: 0, maximum: 604_800 }, maxItems: 20 },
  format: { type: 'string', enum: [...ACCEPTED_FORMATS] },
  transformation: { type: ['string', 'null'], maxLength: 65_536 },
  filter: {
    type: ['string', 'null'],
    maxLength: MAX_FILTER_LENGTH,
    description:
      'CEL expression over `payload`, `eventType` and `channels`; only messages it answers true for are delivered.',
  },
  fifo: {
    type: 'boolean',
    description:
      'Deliver messages one at a time, in the order their creation was committed; a failing message holds the ones behind it until it succeeds or runs out of attempts. Default false.',
  },
} as const;

export const filterTestIn = {
  type: 'object',
  required: ['filter', 'payload'],
  properties: {
    filter: endpointProps.filter,
    payload: {},
    eventType: { type: 'string', maxLength: 256 },
    channels: stringList(10, 128),
  },
} as const;

export const endpointIn = { type: 'object', required: ['url'], properties: endpointProps } as const;
export const endpointPatch = { type: 'object', properties: endpointProps } as const;

export const headersIn = {
  type: 'object',
  required: ['headers'],
  properties: {
    headers: { type: 'object', additionalProperties: { type: ['string', 'null'], maxLength: 4096 }, maxProperties: 50 },
  },
} as const;

export const messageIn = {
  type: 'object',
  required: ['eventType', 'payload'],
  properties: {
    eventType: { type: 'string', pattern: '^[a-zA-Z0-9\\-_.]+$', minLength: 1, maxLength: 256 },
    eventId: { type: ['string', 'null'], pattern: '^[a-zA-Z0-9\\-_.]+$', minLength: 1, maxLength: 256 },
    payload: { type: 'object' },
    channels: stringList(10, 128),
    tags: stringList(5, 128),
    application: applicationIn,
    payloadRetentionPeriod: { type: ['integer', 'null'], minimum: 1, maximum: 90 },
    payloadRetentionHours: { type: ['integer', 'null'], minimum: 1 },
  },
} as const;
