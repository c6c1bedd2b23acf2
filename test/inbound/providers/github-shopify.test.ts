import { createHmac } from 'node:crypto';
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import type { SourceType } from '../../../src/inbound/verify-types.js';
import { nowSeconds, req, without } from '../helpers.js';
import { expectFail, verify } from './verify.js';

/** GitHub and Shopify: an HMAC of the body in a header, no signed timestamp. */

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
      providerEventId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
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
      providerEventId: 'd-1',
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
      providerEventId: 'e-1',
      eventType: 'orders/create',
    });
    expect(verify('shopify', req(without(h, 'x-shopify-event-id'), body), { secrets: [secret] }, 0)).toMatchObject({
      providerEventId: 'w-1',
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
