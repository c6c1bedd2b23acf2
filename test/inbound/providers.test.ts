import { createHmac, sign as edSign, generateKeyPairSync } from 'node:crypto';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import OpenAI from 'openai';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { getVerifier, SOURCE_TYPES, verifiers } from '../../src/inbound/providers/index.js';
import type { SourceConfig, SourceType, VerifyResult } from '../../src/inbound/verify-types.js';
import { nowSeconds, req, without } from './helpers.js';

function verify(type: SourceType, r: ReturnType<typeof req>, config: SourceConfig, now: number): VerifyResult {
  return getVerifier(type).verify(r, config, now);
}

function expectFail(result: VerifyResult, reason: string | RegExp): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.reason).toMatch(reason);
}

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_WHSEC = 'whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c=';

describe('registry', () => {
  it('has one verifier per source type, under its own name', () => {
    expect(SOURCE_TYPES.sort()).toEqual(
      [
        'api-key',
        'basic-auth',
        'discord',
        'generic-webhook',
        'github',
        'hmac',
        'openai',
        'shopify',
        'slack',
        'standard-webhooks',
        'stripe',
        'svix',
      ].sort(),
    );
    for (const [type, verifier] of Object.entries(verifiers)) expect(verifier.type).toBe(type);
    expect(getVerifier('nope')).toBeUndefined();
    expect(getVerifier('__proto__')).toBeUndefined();
  });
});

describe('openai', () => {
  // The openai-node SDK's published test vector.
  const payload =
    '{"id": "evt_685c059ae3a481909bdc86819b066fb6", "object": "event", "created_at": 1750861210, "type": "response.completed", "data": {"id": "resp_123"}}';
  const secret = 'whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c=';
  const headers = {
    'webhook-signature': 'v1,gUAg4R2hWouRZqRQG4uJypNS8YK885G838+EHb4nKBY=',
    'webhook-timestamp': '1750861210',
    'webhook-id': 'wh_685c059ae39c8190af8c71ed1022a24d',
  };
  const now = 1750861210;

  it('accepts the published vector; eventId is the webhook-id header, eventType the body type', () => {
    expect(verify('openai', req(headers, payload), { secrets: [secret] }, now)).toEqual({
      ok: true,
      eventId: 'wh_685c059ae39c8190af8c71ed1022a24d',
      eventType: 'response.completed',
    });
    // Same bytes, same scheme: standard-webhooks and svix accept it too.
    expect(verify('standard-webhooks', req(headers, payload), { secrets: [secret] }, now).ok).toBe(true);
    expect(verify('svix', req(headers, payload), { secrets: [secret] }, now).ok).toBe(true);
  });

  it('rejects tampering, wrong secret, stale or future timestamps, missing headers', () => {
    expectFail(
      verify('openai', req(headers, payload.replace('resp_123', 'resp_124')), { secrets: [secret] }, now),
      'no matching signature',
    );
    expectFail(verify('openai', req(headers, payload), { secrets: [WHSEC] }, now), 'no matching signature');
    expectFail(verify('openai', req(headers, payload), { secrets: [secret] }, now + 301), 'timestamp too old');
    expectFail(verify('openai', req(headers, payload), { secrets: [secret] }, now - 301), 'timestamp too new');
    expect(verify('openai', req(headers, payload), { secrets: [secret] }, now + 300).ok).toBe(true);
    expect(verify('openai', req(headers, payload), { secrets: [secret], toleranceSeconds: 10 }, now + 11).ok).toBe(
      false,
    );
    for (const name of ['webhook-signature', 'webhook-id', 'webhook-timestamp']) {
      expectFail(
        verify('openai', req(without(headers, name), payload), { secrets: [secret] }, now),
        `missing ${name} header`,
      );
    }
    expectFail(
      verify('openai', req({ ...headers, 'webhook-timestamp': '1750861210.5' }, payload), { secrets: [secret] }, now),
      'invalid webhook-timestamp header',
    );
    expectFail(verify('openai', req(headers, payload), { secrets: [] }, now), 'no secrets configured');
  });

  it('accepts the second secret during rotation, and any of several signatures', () => {
    expect(verify('openai', req(headers, payload), { secrets: [WHSEC, secret] }, now).ok).toBe(true);
    const several = { ...headers, 'webhook-signature': `v1,AAAA v1a,xyz ${headers['webhook-signature']}` };
    expect(verify('openai', req(several, payload), { secrets: [secret] }, now).ok).toBe(true);
  });

  it('interoperates with standardwebhooks signing and the openai@6 SDK verifier', async () => {
    const ts = nowSeconds();
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      created_at: ts,
      type: 'batch.completed',
      data: { id: 'batch_1' },
    });
    const sig = new StandardWebhook(secret).sign('wh_interop', new Date(ts * 1000), body);
    const h = { 'webhook-id': 'wh_interop', 'webhook-timestamp': String(ts), 'webhook-signature': sig };
    expect(verify('openai', req(h, body), { secrets: [secret] }, ts)).toMatchObject({
      ok: true,
      eventType: 'batch.completed',
    });
    const client = new OpenAI({ apiKey: 'sk-unused' });
    await expect(client.webhooks.verifySignature(body, h, secret)).resolves.toBeUndefined();
  });

  it('uses a secret without whsec_ as raw UTF-8 bytes, exactly like openai-node', async () => {
    const ts = nowSeconds();
    const raw = 'my-plain-openai-secret';
    const body = '{"type":"response.failed"}';
    const mac = createHmac('sha256', Buffer.from(raw, 'utf8')).update(`wh_raw.${ts}.${body}`).digest('base64');
    const h = { 'webhook-id': 'wh_raw', 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${mac}` };
    await expect(new OpenAI({ apiKey: 'sk-unused' }).webhooks.verifySignature(body, h, raw)).resolves.toBeUndefined();
    expect(verify('openai', req(h, body), { secrets: [raw] }, ts).ok).toBe(true);
    // Standard Webhooks base64-decodes a prefix-less secret, so it must not match there.
    expect(verify('standard-webhooks', req(h, body), { secrets: [raw] }, ts).ok).toBe(false);
  });

  it('gives eventType null for a non-JSON body without failing', () => {
    const ts = nowSeconds();
    const body = 'not json {';
    const sig = new StandardWebhook(secret).sign('wh_x', new Date(ts * 1000), body);
    const h = { 'webhook-id': 'wh_x', 'webhook-timestamp': String(ts), 'webhook-signature': sig };
    expect(verify('openai', req(h, body), { secrets: [secret] }, ts)).toEqual({
      ok: true,
      eventId: 'wh_x',
      eventType: null,
    });
  });
});

describe('svix', () => {
  const body = '{"type":"user.created","data":{"id":"user_1"}}';

  it('accepts svix@1 signatures on svix-* headers', () => {
    const ts = nowSeconds();
    const sig = new SvixWebhook(WHSEC).sign('msg_1', new Date(ts * 1000), body);
    const h = { 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': sig };
    expect(new SvixWebhook(WHSEC).verify(body, h)).toBeTruthy();
    expect(verify('svix', req(h, body), { secrets: [WHSEC] }, ts)).toEqual({
      ok: true,
      eventId: 'msg_1',
      eventType: 'user.created',
    });
  });

  it('prefers svix-* over webhook-* when both are present, as the svix library does', () => {
    const ts = nowSeconds();
    const sig = new SvixWebhook(WHSEC).sign('msg_1', new Date(ts * 1000), body);
    const h = {
      'svix-id': 'msg_1',
      'svix-timestamp': String(ts),
      'svix-signature': sig,
      'webhook-id': 'msg_other',
      'webhook-timestamp': '1',
      'webhook-signature': 'v1,AAAA',
    };
    expect(verify('svix', req(h, body), { secrets: [WHSEC] }, ts)).toMatchObject({ ok: true, eventId: 'msg_1' });
  });

  it('rejects tampering, wrong secret, stale timestamp, missing header; accepts a rotated secret', () => {
    const ts = nowSeconds();
    const sig = new SvixWebhook(WHSEC).sign('msg_1', new Date(ts * 1000), body);
    const h = { 'svix-id': 'msg_1', 'svix-timestamp': String(ts), 'svix-signature': sig };
    expectFail(verify('svix', req(h, `${body} `), { secrets: [WHSEC] }, ts), 'no matching signature');
    expectFail(verify('svix', req(h, body), { secrets: [OTHER_WHSEC] }, ts), 'no matching signature');
    expectFail(verify('svix', req(h, body), { secrets: [WHSEC] }, ts + 600), 'timestamp too old');
    expectFail(
      verify('svix', req(without(h, 'svix-signature'), body), { secrets: [WHSEC] }, ts),
      'missing svix-signature header',
    );
    expect(verify('svix', req(h, body), { secrets: [OTHER_WHSEC, WHSEC] }, ts).ok).toBe(true);
  });
});

describe('standard-webhooks', () => {
  it('matches the standardwebhooks library on the same message, and rejects the usual failures', () => {
    const ts = nowSeconds();
    const body = Buffer.from('{"type":"invoice.paid","amount":12}');
    const sig = new StandardWebhook(WHSEC).sign('msg_2', new Date(ts * 1000), body);
    const h = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(ts), 'webhook-signature': sig };
    expect(verify('standard-webhooks', req(h, body), { secrets: [WHSEC] }, ts)).toEqual({
      ok: true,
      eventId: 'msg_2',
      eventType: 'invoice.paid',
    });
    expect(verify('standard-webhooks', req(h, body), { secrets: [OTHER_WHSEC, WHSEC] }, ts).ok).toBe(true);
    expectFail(
      verify('standard-webhooks', req(h, Buffer.from('{"type":"invoice.paid","amount":13}')), { secrets: [WHSEC] }, ts),
      'no matching signature',
    );
    expectFail(verify('standard-webhooks', req(h, body), { secrets: [OTHER_WHSEC] }, ts), 'no matching signature');
    expectFail(verify('standard-webhooks', req(h, body), { secrets: [WHSEC] }, ts - 301), 'timestamp too new');
    expectFail(verify('standard-webhooks', req(h, body), { secrets: [WHSEC] }, ts + 301), 'timestamp too old');
    expectFail(
      verify('standard-webhooks', req(without(h, 'webhook-id'), body), { secrets: [WHSEC] }, ts),
      'missing webhook-id header',
    );
  });
});

describe('stripe', () => {
  const stripe = new Stripe('sk_test_x');
  const secret = 'whsec_test_secret_for_hookway';
  const payload = JSON.stringify({ id: 'evt_1Abc', object: 'event', type: 'invoice.paid', data: { object: {} } });

  it('accepts stripe.webhooks.generateTestHeaderString and agrees with constructEvent', () => {
    const ts = nowSeconds();
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: ts });
    expect(stripe.webhooks.constructEvent(payload, header, secret).id).toBe('evt_1Abc');
    expect(verify('stripe', req({ 'stripe-signature': header }, payload), { secrets: [secret] }, ts)).toEqual({
      ok: true,
      eventId: 'evt_1Abc',
      eventType: 'invoice.paid',
    });
  });

  it('uses the whsec_ string itself as the UTF-8 key (independent computation)', () => {
    const ts = 1492774577;
    const v1 = createHmac('sha256', secret).update(`${ts}.${payload}`).digest('hex');
    const r = req({ 'stripe-signature': `t=${ts},v1=${v1}` }, payload);
    expect(verify('stripe', r, { secrets: [secret] }, ts).ok).toBe(true);
  });

  it('accepts any of several v1 entries and ignores v0 (no downgrade)', () => {
    const ts = nowSeconds();
    const good = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: ts }).split(',')[1];
    const v0 = createHmac('sha256', secret).update(`${ts}.${payload}`).digest('hex');
    const several = `t=${ts},v1=${'0'.repeat(64)},${good},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;
    expect(verify('stripe', req({ 'stripe-signature': several }, payload), { secrets: [secret] }, ts).ok).toBe(true);
    // A correct HMAC under the v0 scheme must not be accepted.
    expectFail(
      verify('stripe', req({ 'stripe-signature': `t=${ts},v0=${v0}` }, payload), { secrets: [secret] }, ts),
      'no v1 signature',
    );
  });

  it('rejects tampering, wrong secret, stale timestamp, missing header; accepts a rotated secret', () => {
    const ts = nowSeconds();
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: ts });
    const h = { 'stripe-signature': header };
    expectFail(
      verify('stripe', req(h, payload.replace('invoice.paid', 'invoice.void')), { secrets: [secret] }, ts),
      'no matching signature',
    );
    expectFail(verify('stripe', req(h, payload), { secrets: ['whsec_other'] }, ts), 'no matching signature');
    expectFail(verify('stripe', req(h, payload), { secrets: [secret] }, ts + 301), 'timestamp too old');
    expect(verify('stripe', req(h, payload), { secrets: [secret] }, ts + 300).ok).toBe(true);
    // Like stripe-node, a timestamp ahead of our clock is not rejected.
    expect(verify('stripe', req(h, payload), { secrets: [secret] }, ts - 3600).ok).toBe(true);
    expectFail(verify('stripe', req({}, payload), { secrets: [secret] }, ts), 'missing stripe-signature header');
    expectFail(
      verify('stripe', req({ 'stripe-signature': 'v1=abc' }, payload), { secrets: [secret] }, ts),
      'invalid stripe-signature header',
    );
    expectFail(
      verify('stripe', req({ 'stripe-signature': 't=abc,v1=abc' }, payload), { secrets: [secret] }, ts),
      'invalid stripe-signature timestamp',
    );
    expect(verify('stripe', req(h, payload), { secrets: ['whsec_other', secret] }, ts).ok).toBe(true);
  });
});

describe('github', () => {
  it("matches GitHub's documented vector", () => {
    const r = req(
      {
        'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
        'x-github-event': 'ping',
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      },
      'Hello, World!',
    );
    expect(verify('github', r, { secrets: ["It's a Secret to Everybody"] }, 0)).toEqual({
      ok: true,
      eventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      eventType: 'ping',
    });
  });

  it('accepts @octokit/webhooks-methods signatures; eventType is event.action', async () => {
    const secret = 'gh-secret';
    const body = JSON.stringify({ action: 'opened', issue: { number: 1 } });
    const signature = await octokitSign(secret, body);
    expect(await octokitVerify(secret, body, signature)).toBe(true);
    const h = { 'x-hub-signature-256': signature, 'x-github-event': 'issues', 'x-github-delivery': 'd-1' };
    expect(verify('github', req(h, body), { secrets: [secret] }, 0)).toEqual({
      ok: true,
      eventId: 'd-1',
      eventType: 'issues.opened',
    });
    // Form-encoded delivery: signature over the raw bytes, action read from `payload`.
    const form = `payload=${encodeURIComponent(body)}`;
    const formSig = await octokitSign(secret, form);
    const fr = req({ ...h, 'x-hub-signature-256': formSig, 'content-type': 'application/x-www-form-urlencoded' }, form);
    expect(verify('github', fr, { secrets: [secret] }, 0)).toMatchObject({ ok: true, eventType: 'issues.opened' });
  });

  it('rejects tampering, wrong secret, missing or malformed header; accepts a rotated secret', async () => {
    const secret = 'gh-secret';
    const body = '{"zen":"Keep it logically awesome."}';
    const h = { 'x-hub-signature-256': await octokitSign(secret, body), 'x-github-event': 'ping' };
    expectFail(verify('github', req(h, `${body}\n`), { secrets: [secret] }, 0), 'no matching signature');
    expectFail(verify('github', req(h, body), { secrets: ['other'] }, 0), 'no matching signature');
    expectFail(
      verify('github', req({ 'x-github-event': 'ping' }, body), { secrets: [secret] }, 0),
      'missing x-hub-signature-256 header',
    );
    const sha1 = { 'x-hub-signature-256': h['x-hub-signature-256'].replace('sha256=', 'sha1=') };
    expectFail(verify('github', req(sha1, body), { secrets: [secret] }, 0), 'invalid x-hub-signature-256 header');
    expect(verify('github', req(h, body), { secrets: ['old', secret] }, 0)).toMatchObject({
      ok: true,
      eventType: 'ping',
    });
  });
});

describe('providers without a signed timestamp (github, shopify)', () => {
  it('accept the same signed request whatever the clock says: there is no replay window to enforce', async () => {
    const body = '{"action":"opened","id":820982911946154508}';
    const cases: [SourceType, Record<string, string>, string][] = [
      ['github', { 'x-hub-signature-256': await octokitSign('gh', body), 'x-github-event': 'issues' }, 'gh'],
      [
        'shopify',
        { 'x-shopify-hmac-sha256': createHmac('sha256', 'sh').update(body).digest('base64'), 'x-shopify-topic': 'a/b' },
        'sh',
      ],
    ];
    for (const [type, h, secret] of cases) {
      for (const now of [0, nowSeconds(), 4_000_000_000]) {
        expect(
          verify(type, req(h, body), { secrets: [secret], toleranceSeconds: 1 }, now),
          `${type} at ${now}`,
        ).toMatchObject({ ok: true });
      }
    }
  });
});

describe('shopify', () => {
  const secret = 'shpss_0123456789abcdef';
  const body = '{"id":820982911946154508,"email":"jon@example.com"}';
  const mac = createHmac('sha256', secret).update(body, 'utf8').digest('base64');
  const h = {
    'x-shopify-hmac-sha256': mac,
    'x-shopify-topic': 'orders/create',
    'x-shopify-event-id': 'e-1',
    'x-shopify-webhook-id': 'w-1',
  };

  it('accepts base64(HMAC-SHA256(secret, body)); dedupe on event id, else webhook id', () => {
    expect(verify('shopify', req(h, body), { secrets: [secret] }, 0)).toEqual({
      ok: true,
      eventId: 'e-1',
      eventType: 'orders/create',
    });
    expect(verify('shopify', req(without(h, 'x-shopify-event-id'), body), { secrets: [secret] }, 0)).toMatchObject({
      eventId: 'w-1',
    });
  });

  it('rejects hex, tampering, wrong secret, missing header; accepts a rotated secret', () => {
    const hex = { ...h, 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('hex') };
    expectFail(verify('shopify', req(hex, body), { secrets: [secret] }, 0), 'no matching signature');
    expectFail(
      verify('shopify', req(h, body.replace('jon', 'jan')), { secrets: [secret] }, 0),
      'no matching signature',
    );
    expectFail(verify('shopify', req(h, body), { secrets: ['other'] }, 0), 'no matching signature');
    expectFail(
      verify('shopify', req(without(h, 'x-shopify-hmac-sha256'), body), { secrets: [secret] }, 0),
      'missing x-shopify-hmac-sha256 header',
    );
    expect(verify('shopify', req(h, body), { secrets: ['other', secret] }, 0).ok).toBe(true);
  });
});

describe('slack', () => {
  // Slack's documented example (slash command, form-encoded), "Verifying requests from Slack".
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const ts = 1531420618;
  const formBody =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const h = {
    'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    'x-slack-request-timestamp': String(ts),
    'content-type': 'application/x-www-form-urlencoded',
  };
  const slackSign = (s: string, t: number, b: string) =>
    `v0=${createHmac('sha256', s).update(`v0:${t}:${b}`).digest('hex')}`;

  it("accepts Slack's documented example (form-encoded slash command, raw bytes)", () => {
    expect(verify('slack', req(h, formBody), { secrets: [secret] }, ts + 10)).toEqual({
      ok: true,
      eventId: null,
      eventType: null,
    });
  });

  it('Events API: eventId is event_id, eventType is event.type', () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev123', event: { type: 'app_mention' } });
    const r = req({ 'x-slack-signature': slackSign(secret, ts, body), 'x-slack-request-timestamp': String(ts) }, body);
    expect(verify('slack', r, { secrets: [secret] }, ts)).toEqual({
      ok: true,
      eventId: 'Ev123',
      eventType: 'app_mention',
    });
  });

  it('answers url_verification with its challenge, only after verifying', () => {
    const body = JSON.stringify({
      token: 't',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const r = req({ 'x-slack-signature': slackSign(secret, ts, body), 'x-slack-request-timestamp': String(ts) }, body);
    expect(verify('slack', r, { secrets: [secret] }, ts)).toEqual({
      ok: true,
      eventId: null,
      eventType: 'url_verification',
      reply: { status: 200, body: { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' } },
    });
    expectFail(verify('slack', r, { secrets: ['wrong'] }, ts), 'no matching signature');
  });

  it('rejects tampering, wrong secret, stale or future timestamps, missing headers; accepts a rotated secret', () => {
    expectFail(
      verify('slack', req(h, formBody.replace('roadrunner', 'coyote')), { secrets: [secret] }, ts),
      'no matching signature',
    );
    expectFail(verify('slack', req(h, formBody), { secrets: ['wrong'] }, ts), 'no matching signature');
    expectFail(verify('slack', req(h, formBody), { secrets: [secret] }, ts + 301), 'timestamp too old');
    expectFail(verify('slack', req(h, formBody), { secrets: [secret] }, ts - 301), 'timestamp too new');
    expectFail(
      verify('slack', req(without(h, 'x-slack-signature'), formBody), { secrets: [secret] }, ts),
      'missing x-slack-signature header',
    );
    expectFail(
      verify('slack', req(without(h, 'x-slack-request-timestamp'), formBody), { secrets: [secret] }, ts),
      'missing x-slack-request-timestamp header',
    );
    expect(verify('slack', req(h, formBody), { secrets: ['old', secret] }, ts).ok).toBe(true);
  });
});

describe('discord', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');
  const other = generateKeyPairSync('ed25519');
  const otherHex = Buffer.from(other.publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');
  const signed = (body: string, ts = '1700000000', key = privateKey) => ({
    'x-signature-ed25519': edSign(null, Buffer.from(ts + body), key).toString('hex'),
    'x-signature-timestamp': ts,
  });

  it('answers an interaction PING (type 1) with PONG', () => {
    const body = JSON.stringify({ id: '123', application_id: '9', type: 1, token: 'tok', version: 1 });
    expect(verify('discord', req(signed(body), body), { secrets: [publicHex] }, 0)).toEqual({
      ok: true,
      eventId: '123',
      eventType: 'interaction.1',
      reply: { status: 200, body: { type: 1 } },
    });
  });

  it('answers a webhook-events PING (type 0) with an empty 204', () => {
    const body = JSON.stringify({ version: 1, application_id: '9', type: 0 });
    expect(verify('discord', req(signed(body), body), { secrets: [publicHex] }, 0)).toEqual({
      ok: true,
      eventId: null,
      eventType: null,
      reply: { status: 204 },
    });
  });

  it('types webhook events by event.type and interactions by interaction type', () => {
    const event = JSON.stringify({
      version: 1,
      application_id: '9',
      type: 1,
      event: { type: 'APPLICATION_AUTHORIZED', timestamp: 'x', data: {} },
    });
    expect(verify('discord', req(signed(event), event), { secrets: [publicHex] }, 0)).toEqual({
      ok: true,
      eventId: null,
      eventType: 'APPLICATION_AUTHORIZED',
    });
    const command = JSON.stringify({ id: '456', application_id: '9', type: 2, token: 'tok', data: { name: 'hi' } });
    expect(verify('discord', req(signed(command), command), { secrets: [publicHex] }, 0)).toEqual({
      ok: true,
      eventId: '456',
      eventType: 'interaction.2',
    });
  });

  it("rejects tampering, a wrong key, Discord's deliberately bad signatures, missing headers; accepts a rotated key", () => {
    const body = JSON.stringify({ id: '1', type: 2, token: 't' });
    const h = signed(body);
    expectFail(
      verify('discord', req(h, body.replace('"2"', '"3"').replace('2,', '3,')), { secrets: [publicHex] }, 0),
      'no matching signature',
    );
    expectFail(
      verify('discord', req({ ...h, 'x-signature-timestamp': '1700000001' }, body), { secrets: [publicHex] }, 0),
      'no matching signature',
    );
    expectFail(verify('discord', req(h, body), { secrets: [otherHex] }, 0), 'no matching signature');
    expectFail(
      verify('discord', req({ ...h, 'x-signature-ed25519': 'ab'.repeat(64) }, body), { secrets: [publicHex] }, 0),
      'no matching signature',
    );
    expectFail(
      verify('discord', req({ ...h, 'x-signature-ed25519': 'zz' }, body), { secrets: [publicHex] }, 0),
      'invalid x-signature-ed25519 header',
    );
    expectFail(
      verify('discord', req(without(h, 'x-signature-ed25519'), body), { secrets: [publicHex] }, 0),
      'missing x-signature-ed25519 header',
    );
    expectFail(
      verify('discord', req(without(h, 'x-signature-timestamp'), body), { secrets: [publicHex] }, 0),
      'missing x-signature-timestamp header',
    );
    expectFail(verify('discord', req(h, body), { secrets: ['not-a-key'] }, 0), 'no valid public key configured');
    expect(verify('discord', req(h, body), { secrets: [otherHex, publicHex] }, 0).ok).toBe(true);
    expect(verify('discord', req(h, body), { secrets: ['not-a-key', publicHex.toUpperCase()] }, 0).ok).toBe(true);
  });

  it('checks the timestamp only when toleranceSeconds is set', () => {
    const body = '{"id":"1","type":2,"token":"t"}';
    const h = signed(body, '1700000000');
    expect(verify('discord', req(h, body), { secrets: [publicHex] }, 1800000000).ok).toBe(true);
    expectFail(
      verify('discord', req(h, body), { secrets: [publicHex], toleranceSeconds: 300 }, 1700000301),
      'timestamp too old',
    );
    expect(verify('discord', req(h, body), { secrets: [publicHex], toleranceSeconds: 300 }, 1700000300).ok).toBe(true);
  });
});

describe('hmac (generic)', () => {
  const secret = 'token_hex_0123456789';

  it('sha256= hex preset: X-Product-Signature: sha256=<hex> over the body', () => {
    const body = '{"type":"order.paid","id":1}';
    const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const config: SourceConfig = {
      secrets: [secret],
      header: 'X-Acme-Signature',
      prefix: 'sha256=',
      idHeader: 'X-Acme-Webhook-Id',
    };
    const h = { 'x-acme-signature': sig, 'x-acme-webhook-id': 'wid-1' };
    expect(verify('hmac', req(h, body), config, 0)).toEqual({ ok: true, eventId: 'wid-1', eventType: 'order.paid' });
    expect(
      verify('hmac', req({ 'x-acme-signature': sig.toUpperCase().replace('SHA256=', 'sha256=') }, body), config, 0).ok,
    ).toBe(true);
    expectFail(verify('hmac', req(h, `${body} `), config, 0), 'no matching signature');
    expectFail(verify('hmac', req(h, body), { ...config, secrets: ['other'] }, 0), 'no matching signature');
    expectFail(
      verify('hmac', req({ 'x-acme-signature': sig.slice('sha256='.length) }, body), config, 0),
      'invalid x-acme-signature header',
    );
    expectFail(verify('hmac', req({}, body), config, 0), 'missing x-acme-signature header');
    expect(verify('hmac', req(h, body), { ...config, secrets: ['other', secret] }, 0).ok).toBe(true);
    // Two signatures (header sent twice, joined with ', '): any one matching is enough.
    expect(verify('hmac', req({ 'x-acme-signature': `sha256=${'0'.repeat(64)}, ${sig}` }, body), config, 0).ok).toBe(
      true,
    );
  });

  it('sha512 + base64 over a {timestamp}.{id}.{body} template, with tolerance', () => {
    const body = Buffer.from([0x7b, 0x7d, 0xff, 0x00]); // arbitrary bytes, not valid UTF-8
    const ts = 1750000000;
    const expected = createHmac('sha512', secret)
      .update(Buffer.concat([Buffer.from(`${ts}.m1.`), body]))
      .digest('base64');
    const config: SourceConfig = {
      secrets: [secret],
      header: 'x-sig',
      algorithm: 'sha512',
      encoding: 'base64',
      timestampHeader: 'x-ts',
      idHeader: 'x-id',
      signedContent: '{timestamp}.{id}.{body}',
    };
    const h = { 'x-sig': expected, 'x-ts': String(ts), 'x-id': 'm1' };
    expect(verify('hmac', req(h, body), config, ts)).toEqual({ ok: true, eventId: 'm1', eventType: null });
    expectFail(verify('hmac', req(h, body), config, ts + 301), 'timestamp too old');
    expectFail(verify('hmac', req(h, body), config, ts - 301), 'timestamp too new');
    expectFail(verify('hmac', req(without(h, 'x-ts'), body), config, ts), 'missing x-ts header');
    expectFail(verify('hmac', req(without(h, 'x-id'), body), config, ts), 'missing x-id header');
    expectFail(verify('hmac', req({ ...h, 'x-id': 'm2' }, body), config, ts), 'no matching signature');
  });

  it('hex preset with an ISO 8601 timestamp header, hex over the payload', () => {
    const body = '{"event":"user.created","timestamp":"2025-06-01T12:00:00Z","user_id":"u1","data":{}}';
    const config: SourceConfig = {
      secrets: [secret],
      header: 'x-webhook-signature',
      timestampHeader: 'x-webhook-timestamp',
      idHeader: 'x-webhook-id',
    };
    const h = {
      'x-webhook-signature': createHmac('sha256', secret).update(body).digest('hex'),
      'x-webhook-timestamp': '2025-06-01T12:00:00Z',
      'x-webhook-id': 'wh-9',
    };
    const now = Date.parse('2025-06-01T12:01:00Z') / 1000;
    expect(verify('hmac', req(h, body), config, now)).toMatchObject({ ok: true, eventId: 'wh-9' });
    expectFail(verify('hmac', req(h, body), config, now + 3600), 'timestamp too old');
  });

  it('reports configuration mistakes instead of accepting', () => {
    expectFail(
      verify('hmac', req({ 'x-sig': 'ab' }, '{}'), { secrets: [secret] }, 0),
      'no signature header configured',
    );
    expectFail(
      verify(
        'hmac',
        req({ 'x-sig': 'ab' }, '{}'),
        { secrets: [secret], header: 'x-sig', signedContent: '{timestamp}.{body}' },
        0,
      ),
      /timestampHeader/,
    );
    expectFail(
      verify('hmac', req({ 'x-sig': 'ab' }, '{}'), { secrets: [], header: 'x-sig' }, 0),
      'no secrets configured',
    );
    expectFail(
      verify('hmac', req({ 'x-sig': 'ab' }, '{}'), { secrets: [''], header: 'x-sig' }, 0),
      'no secrets configured',
    );
  });
});

describe('basic-auth', () => {
  const basic = (cred: string) => ({ authorization: `Basic ${Buffer.from(cred).toString('base64')}` });

  it('accepts user:password from any configured secret; eventId from idHeader', () => {
    const config: SourceConfig = { secrets: ['old:pw', 'hook:s3cr3t:with:colons'], idHeader: 'x-request-id' };
    expect(
      verify(
        'basic-auth',
        req({ ...basic('hook:s3cr3t:with:colons'), 'x-request-id': 'r1' }, '{"type":"a.b"}'),
        config,
        0,
      ),
    ).toEqual({
      ok: true,
      eventId: 'r1',
      eventType: 'a.b',
    });
    expect(
      verify('basic-auth', req({ authorization: `basic ${Buffer.from('old:pw').toString('base64')}` }, ''), config, 0)
        .ok,
    ).toBe(true);
  });

  it('rejects wrong credentials, other schemes, a missing header', () => {
    const config: SourceConfig = { secrets: ['hook:pw'] };
    expectFail(verify('basic-auth', req(basic('hook:pw2'), ''), config, 0), 'invalid credentials');
    expectFail(verify('basic-auth', req(basic('hook:p'), ''), config, 0), 'invalid credentials');
    expectFail(
      verify('basic-auth', req({ authorization: 'Bearer hook:pw' }, ''), config, 0),
      'authorization header is not basic',
    );
    expectFail(verify('basic-auth', req({}, ''), config, 0), 'missing authorization header');
  });
});

describe('api-key', () => {
  it('accepts the key in x-api-key (default) or a configured header, with rotation', () => {
    expect(verify('api-key', req({ 'x-api-key': 'k2' }, '{"type":"t"}'), { secrets: ['k1', 'k2'] }, 0)).toEqual({
      ok: true,
      eventId: null,
      eventType: 't',
    });
    expect(
      verify(
        'api-key',
        req({ 'x-token': 'k1', 'x-id': 'i' }, ''),
        { secrets: ['k1'], apiKeyHeader: 'X-Token', idHeader: 'x-id' },
        0,
      ),
    ).toMatchObject({
      ok: true,
      eventId: 'i',
    });
    expect(
      verify('api-key', req({ authorization: 'Bearer k1' }, ''), { secrets: ['k1'], apiKeyHeader: 'authorization' }, 0)
        .ok,
    ).toBe(true);
  });

  it('rejects a wrong key, a prefix of the key, a missing header', () => {
    expectFail(verify('api-key', req({ 'x-api-key': 'k3' }, ''), { secrets: ['k1'] }, 0), 'invalid api key');
    expectFail(verify('api-key', req({ 'x-api-key': 'k' }, ''), { secrets: ['k1'] }, 0), 'invalid api key');
    expectFail(verify('api-key', req({ 'x-other': 'k1' }, ''), { secrets: ['k1'] }, 0), 'missing x-api-key header');
    expectFail(verify('api-key', req({ 'x-api-key': 'k1' }, ''), { secrets: [] }, 0), 'no secrets configured');
  });
});

describe('generic-webhook', () => {
  it('accepts anything; eventId from idHeader, eventType from a JSON body', () => {
    expect(
      verify(
        'generic-webhook',
        req({ 'x-id': 'g1' }, '{"type":"thing.happened"}'),
        { secrets: [], idHeader: 'x-id' },
        0,
      ),
    ).toEqual({
      ok: true,
      eventId: 'g1',
      eventType: 'thing.happened',
    });
    expect(verify('generic-webhook', req({}, '<xml/>'), { secrets: [] }, 0)).toEqual({
      ok: true,
      eventId: null,
      eventType: null,
    });
    expect(verify('generic-webhook', req({}, '{"type":5}'), { secrets: [] }, 0)).toMatchObject({ eventType: null });
  });
});
