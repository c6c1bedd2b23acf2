import { createHmac } from 'node:crypto';
import OpenAI from 'openai';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { nowSeconds, req, without } from '../helpers.js';
import { expectFail, OTHER_WHSEC, verify, WHSEC } from './verify.js';

/** Providers that sign in the Standard Webhooks format (OpenAI, Svix, any Standard Webhooks sender), against their SDKs and published vectors. */

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

  it('accepts the published vector; providerEventId is the webhook-id header, eventType the body type', () => {
    expect(verify('openai', req(headers, payload), { secrets: [secret] }, now)).toEqual({
      ok: true,
      providerEventId: 'wh_685c059ae39c8190af8c71ed1022a24d',
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
      providerEventId: 'wh_x',
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
      providerEventId: 'msg_1',
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
    expect(verify('svix', req(h, body), { secrets: [WHSEC] }, ts)).toMatchObject({
      ok: true,
      providerEventId: 'msg_1',
    });
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
      providerEventId: 'msg_2',
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
