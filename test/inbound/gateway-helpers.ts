import { createHmac, sign as edSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { api } from '../helpers/server.js';

/**
 * Signing as each provider does, with the providers' own libraries where they
 * publish one (standardwebhooks, stripe, @octokit/webhooks-methods) and the
 * documented recipe otherwise (Shopify, Slack, Discord).
 */
export interface Signed {
  headers: Record<string, string>;
}

export interface ProviderCase {
  type: string;
  config: Record<string, unknown>;
  /** A config with another secret: the same request must then fail. */
  wrongConfig: Record<string, unknown>;
  body: (n: number) => string;
  sign: (body: string, opts: { ts: number; id: string }) => Promise<Record<string, string>>;
  /** Headers whose absence must fail verification. */
  required: string[];
  /** False for providers without a signed timestamp. */
  stale: boolean;
  eventType: string;
}

const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;
const stripe = new Stripe('sk_test_unused');

function standardCase(type: string): ProviderCase {
  const secret = whsec();
  return {
    type,
    config: { secret },
    wrongConfig: { secret: whsec() },
    body: (n) => JSON.stringify({ id: `evt_${n}`, object: 'event', type: 'response.completed', data: { n } }),
    sign: async (body, { ts, id }) => {
      const wh = new StandardWebhook(secret);
      return {
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': wh.sign(id, new Date(ts * 1000), body),
        'content-type': 'application/json',
      };
    },
    required: ['webhook-signature', 'webhook-id', 'webhook-timestamp'],
    stale: true,
    eventType: 'response.completed',
  };
}

const discordKeys = generateKeyPairSync('ed25519');
const discordOther = generateKeyPairSync('ed25519');
const hexKey = (k: typeof discordKeys) =>
  Buffer.from(k.publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');

export function providerCases(): ProviderCase[] {
  const stripeSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const githubSecret = randomBytes(16).toString('hex');
  const shopifySecret = `shpss_${randomBytes(16).toString('hex')}`;
  const slackSecret = randomBytes(16).toString('hex');
  return [
    standardCase('openai'),
    standardCase('standard-webhooks'),
    standardCase('svix'),
    {
      type: 'stripe',
      config: { secret: stripeSecret },
      wrongConfig: { secret: `whsec_${randomBytes(16).toString('hex')}` },
      body: (n) => JSON.stringify({ id: `evt_s${n}`, object: 'event', type: 'invoice.paid', data: { object: { n } } }),
      sign: async (body, { ts }) => ({
        'stripe-signature': stripe.webhooks.generateTestHeaderString({
          payload: body,
          secret: stripeSecret,
          timestamp: ts,
        }),
        'content-type': 'application/json',
      }),
      required: ['stripe-signature'],
      stale: true,
      eventType: 'invoice.paid',
    },
    {
      type: 'github',
      config: { secret: githubSecret },
      wrongConfig: { secret: 'another' },
      body: (n) => JSON.stringify({ action: 'opened', number: n, repository: { full_name: 'acme/web' } }),
      sign: async (body, { id }) => ({
        'x-hub-signature-256': await octokitSign(githubSecret, body),
        'x-github-event': 'pull_request',
        'x-github-delivery': id,
        'content-type': 'application/json',
      }),
      required: ['x-hub-signature-256'],
      stale: false,
      eventType: 'pull_request.opened',
    },
    {
      type: 'shopify',
      config: { secret: shopifySecret },
      wrongConfig: { secret: 'shpss_other' },
      body: (n) => JSON.stringify({ id: 820982911946154500 + n, email: 'jon@example.com' }),
      sign: async (body, { id }) => ({
        'x-shopify-hmac-sha256': createHmac('sha256', shopifySecret).update(body, 'utf8').digest('base64'),
        'x-shopify-topic': 'orders/create',
        'x-shopify-event-id': id,
        'content-type': 'application/json',
      }),
      required: ['x-shopify-hmac-sha256'],
      stale: false,
      eventType: 'orders/create',
    },
    {
      type: 'slack',
      config: { secret: slackSecret },
      wrongConfig: { secret: 'other-signing-secret' },
      body: (n) =>
        JSON.stringify({ type: 'event_callback', event_id: `Ev${n}`, event: { type: 'app_mention', text: `hi ${n}` } }),
      sign: async (body, { ts }) => ({
        'x-slack-signature': `v0=${createHmac('sha256', slackSecret).update(`v0:${ts}:${body}`).digest('hex')}`,
        'x-slack-request-timestamp': String(ts),
        'content-type': 'application/json',
      }),
      required: ['x-slack-signature', 'x-slack-request-timestamp'],
      stale: true,
      eventType: 'app_mention',
    },
    {
      type: 'discord',
      config: { publicKey: hexKey(discordKeys), toleranceSeconds: 300 },
      wrongConfig: { publicKey: hexKey(discordOther), toleranceSeconds: 300 },
      body: (n) =>
        JSON.stringify({ version: 1, application_id: '9', type: 1, event: { type: 'APPLICATION_AUTHORIZED', n } }),
      sign: async (body, { ts }) => ({
        'x-signature-ed25519': edSign(null, Buffer.from(String(ts) + body), discordKeys.privateKey).toString('hex'),
        'x-signature-timestamp': String(ts),
        'content-type': 'application/json',
      }),
      required: ['x-signature-ed25519', 'x-signature-timestamp'],
      stale: true,
      eventType: 'APPLICATION_AUTHORIZED',
    },
    {
      type: 'hmac',
      config: {
        secret: 'generic-shared-key',
        header: 'X-Signature',
        prefix: 'sha256=',
        timestampHeader: 'X-Timestamp',
        signedContent: '{timestamp}.{body}',
        idHeader: 'X-Webhook-Id',
      },
      wrongConfig: {
        secret: 'not-it',
        header: 'X-Signature',
        prefix: 'sha256=',
        timestampHeader: 'X-Timestamp',
        signedContent: '{timestamp}.{body}',
        idHeader: 'X-Webhook-Id',
      },
      body: (n) => JSON.stringify({ type: 'thing.happened', n }),
      sign: async (body, { ts, id }) => ({
        'x-signature': `sha256=${createHmac('sha256', 'generic-shared-key').update(`${ts}.${body}`).digest('hex')}`,
        'x-timestamp': String(ts),
        'x-webhook-id': id,
        'content-type': 'application/json',
      }),
      required: ['x-signature', 'x-timestamp'],
      stale: true,
      eventType: 'thing.happened',
    },
  ];
}

export interface Target {
  url: string;
  token: string;
}

export async function createSource(server: Target, body: Record<string, unknown>): Promise<any> {
  const res = await api(server, 'POST', '/ingest/api/v1/source', body);
  if (res.status !== 201) throw new Error(`create source: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function ingest(
  server: Target,
  sourceId: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/in/${sourceId}`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: any = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);
