import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { nowSeconds, req } from '../helpers.js';
import { expectFail, verify } from './verify.js';

/** Stripe, against the stripe SDK and its signature scheme. */

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
      providerEventId: 'evt_1Abc',
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
