import { createHmac, sign as edSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { req, without } from '../helpers.js';
import { expectFail, verify } from './verify.js';

/** Chat providers: Slack (signed timestamp, URL challenge) and Discord (ed25519, PING). */

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
      providerEventId: null,
      eventType: null,
    });
  });

  it('Events API: providerEventId is event_id, eventType is event.type', () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'Ev123', event: { type: 'app_mention' } });
    const r = req({ 'x-slack-signature': slackSign(secret, ts, body), 'x-slack-request-timestamp': String(ts) }, body);
    expect(verify('slack', r, { secrets: [secret] }, ts)).toEqual({
      ok: true,
      providerEventId: 'Ev123',
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
      providerEventId: null,
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
      providerEventId: '123',
      eventType: 'interaction.1',
      reply: { status: 200, body: { type: 1 } },
    });
  });

  it('answers a webhook-events PING (type 0) with an empty 204', () => {
    const body = JSON.stringify({ version: 1, application_id: '9', type: 0 });
    expect(verify('discord', req(signed(body), body), { secrets: [publicHex] }, 0)).toEqual({
      ok: true,
      providerEventId: null,
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
      providerEventId: null,
      eventType: 'APPLICATION_AUTHORIZED',
    });
    const command = JSON.stringify({ id: '456', application_id: '9', type: 2, token: 'tok', data: { name: 'hi' } });
    expect(verify('discord', req(signed(command), command), { secrets: [publicHex] }, 0)).toEqual({
      ok: true,
      providerEventId: '456',
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
