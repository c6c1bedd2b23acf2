import { sign as edSign, generateKeyPairSync } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hookway, signWebhook, verifyWebhook, WebhookVerificationError } from '../../src/sdk/index.js';
import { Receiver } from '../helpers/receiver.js';
import { startTestServer, type TestServer, waitFor } from '../helpers/server.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const now = () => Math.floor(Date.now() / 1000);

describe('verifyWebhook', () => {
  it('accepts what standardwebhooks signs and returns the payload', () => {
    const wh = new Webhook(SECRET);
    const body = '{"type":"invoice.paid","data":{"id":1}}';
    const ts = new Date();
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
      'webhook-signature': wh.sign('msg_1', ts, body),
    };
    expect(verifyWebhook(SECRET, headers, body)).toEqual({ type: 'invoice.paid', data: { id: 1 } });
    expect(verifyWebhook(SECRET, new Headers(headers), Buffer.from(body))).toEqual(JSON.parse(body));
    // and standardwebhooks accepts what the SDK signs
    expect(wh.verify(body, signWebhook(SECRET, 'msg_2', body))).toEqual(JSON.parse(body));
  });

  it('matches the Standard Webhooks known answer', () => {
    // The vector of standard-webhooks' own test suite (webhook.test.ts).
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    expect(verifyWebhook(SECRET, headers, '{"test": 2432232314}', { nowSeconds: 1614265330 })).toEqual({
      test: 2432232314,
    });
  });

  it('refuses tampered bodies, ids, timestamps and signatures with the library messages', () => {
    const body = '{"a":1}';
    const h = signWebhook(SECRET, 'msg_1', body);
    const fails = (headers: Record<string, string>, b = body, opts = {}) => {
      try {
        verifyWebhook(SECRET, headers, b, opts);
        return 'accepted';
      } catch (err) {
        expect(err).toBeInstanceOf(WebhookVerificationError);
        return (err as Error).message;
      }
    };
    expect(fails(h, '{"a":2}')).toBe('No matching signature found');
    expect(fails({ ...h, 'webhook-id': 'msg_2' })).toBe('No matching signature found');
    expect(
      fails({
        ...h,
        'webhook-signature': `v1,${h['webhook-signature'][3] === 'A' ? 'B' : 'A'}${h['webhook-signature'].slice(4)}`,
      }),
    ).toBe('No matching signature found');
    expect(fails({ ...h, 'webhook-timestamp': String(now() - 3600) })).toBe('Message timestamp too old');
    expect(fails({ ...h, 'webhook-timestamp': String(now() + 3600) })).toBe('Message timestamp too new');
    expect(fails({ ...h, 'webhook-timestamp': 'soon' })).toBe('Invalid Signature Headers');
    expect(fails({ 'webhook-id': 'msg_1' })).toBe('Missing required headers');
    expect(fails(h, body, { toleranceSeconds: 5 })).toBe('accepted');
    const old = signWebhook(SECRET, 'msg_1', body, now() - 60);
    expect(fails(old, body, { toleranceSeconds: 5 })).toBe('Message timestamp too old');
  });

  it('accepts any one of several signatures and several secrets (rotation)', () => {
    const other = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkgISE=';
    const body = '{"a":1}';
    const a = signWebhook(SECRET, 'msg_1', body);
    const b = signWebhook(other, 'msg_1', body, Number(a['webhook-timestamp']));
    const both = { ...a, 'webhook-signature': `${b['webhook-signature']} ${a['webhook-signature']}` };
    expect(verifyWebhook(SECRET, both, body)).toEqual({ a: 1 });
    expect(verifyWebhook(['whsec_bm90IHRoaXMgb25lIGVpdGhlciBubyBubyBubw==', other], b, body)).toEqual({ a: 1 });
    expect(() => verifyWebhook([other], a, body)).toThrow('No matching signature found');
    expect(verifyWebhook([other, SECRET], a, body)).toEqual({ a: 1 });
    // svix-* headers are read too
    expect(
      verifyWebhook(
        SECRET,
        { 'svix-id': 'msg_1', 'svix-timestamp': a['webhook-timestamp'], 'svix-signature': a['webhook-signature'] },
        body,
      ),
    ).toEqual({ a: 1 });
  });

  it('verifies v1a (ed25519) with a whpk_ public key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
    const whpk = `whpk_${raw.toString('base64')}`;
    const body = '{"type":"user.created"}';
    const ts = now();
    const sig = edSign(null, Buffer.from(`msg_9.${ts}.${body}`), privateKey).toString('base64');
    const headers = {
      'webhook-id': 'msg_9',
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,bogus v1a,${sig}`,
    };
    expect(verifyWebhook(whpk, headers, body)).toEqual({ type: 'user.created' });
    expect(() => verifyWebhook(whpk, headers, '{"type":"user.deleted"}')).toThrow('No matching signature found');
    expect(() => verifyWebhook(whpk, { ...headers, 'webhook-signature': `v1,${sig}` }, body)).toThrow(
      'No matching signature found',
    );
    // a v1a signature never satisfies an HMAC secret
    expect(() => verifyWebhook(SECRET, headers, body)).toThrow('No matching signature found');
  });
});

describe('verifyWebhook against a real Hookway delivery', () => {
  let server: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    server = await startTestServer();
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  it('accepts what Hookway sends and refuses it tampered', async () => {
    const hw = new Hookway(server.token, { serverUrl: server.url });
    const app = await hw.application.create({ name: 'Verify' });
    const ep = await hw.endpoint.create(app.id, { url: receiver.url });
    const { key } = await hw.endpoint.getSecret(app.id, ep.id);
    await hw.message.create(app.id, { eventType: 'invoice.paid', payload: { amount: 42, note: 'ünïcode' } });
    const req = await waitFor(() => receiver.received[0]);
    expect(verifyWebhook(key, req.headers, req.body)).toEqual({ amount: 42, note: 'ünïcode' });
    expect(() => verifyWebhook(key, req.headers, req.body.replace('42', '43'))).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(key, { ...req.headers, 'webhook-id': 'msg_x' }, req.body)).toThrow(
      WebhookVerificationError,
    );
  });
});
