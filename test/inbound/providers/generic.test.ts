import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/inbound/verify-types.js';
import { req, without } from '../helpers.js';
import { expectFail, verify } from './verify.js';

/** Generic receivers: plain HMAC, basic auth, an API key header, and no verification at all. */

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
    expect(verify('hmac', req(h, body), config, 0)).toEqual({
      ok: true,
      providerEventId: 'wid-1',
      eventType: 'order.paid',
    });
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
    expect(verify('hmac', req(h, body), config, ts)).toEqual({ ok: true, providerEventId: 'm1', eventType: null });
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
    expect(verify('hmac', req(h, body), config, now)).toMatchObject({ ok: true, providerEventId: 'wh-9' });
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

  it('accepts user:password from any configured secret; providerEventId from idHeader', () => {
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
      providerEventId: 'r1',
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
      providerEventId: null,
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
      providerEventId: 'i',
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
  it('accepts anything; providerEventId from idHeader, eventType from a JSON body', () => {
    expect(
      verify(
        'generic-webhook',
        req({ 'x-id': 'g1' }, '{"type":"thing.happened"}'),
        { secrets: [], idHeader: 'x-id' },
        0,
      ),
    ).toEqual({
      ok: true,
      providerEventId: 'g1',
      eventType: 'thing.happened',
    });
    expect(verify('generic-webhook', req({}, '<xml/>'), { secrets: [] }, 0)).toEqual({
      ok: true,
      providerEventId: null,
      eventType: null,
    });
    expect(verify('generic-webhook', req({}, '{"type":5}'), { secrets: [] }, 0)).toMatchObject({ eventType: null });
  });
});
