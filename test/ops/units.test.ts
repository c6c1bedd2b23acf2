import { describe, expect, it } from 'vitest';
import { rotateSecrets } from '../../src/core/secret-rotation.js';
import { CircuitBreaker } from '../../src/delivery/breaker.js';
import { discordBody, embedChars } from '../../src/delivery/formats/discord.js';
import { slackBody } from '../../src/delivery/formats/slack.js';
import { endpointRateLimits } from '../../src/delivery/rate-limit.js';
import { runTransformation } from '../../src/delivery/transform.js';
import { csvCell } from '../../src/ops/export.js';

/** The pure parts of operations, without sockets or a database. */
describe('operations, pure parts', () => {
  it('breaker: opens at 90% of 10, probes after the interval, closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker({ minAttempts: 10, failurePercent: 90, windowMs: 60_000, probeMs: 5000 }, () => now);
    for (let i = 0; i < 9; i++) b.record('ep', false, now);
    expect(b.paused(now)).toEqual([]);
    b.record('ep', false, now);
    expect(b.paused(now)).toEqual(['ep']);
    now = 5000;
    expect(b.paused(now)).toEqual([]);
    b.starting('ep');
    expect(b.paused(now)).toEqual(['ep']);
    b.record('ep', false, now);
    expect(b.stateOf('ep')).toBe('open');
    now = 10_000;
    expect(b.paused(now)).toEqual([]);
    b.starting('ep');
    b.record('ep', true, now);
    expect(b.stateOf('ep')).toBe('closed');
    expect(b.paused(now)).toEqual([]);
  });

  it('breaker: old attempts leave the window', () => {
    let now = 0;
    const b = new CircuitBreaker({ minAttempts: 10, failurePercent: 90, windowMs: 60_000, probeMs: 5000 }, () => now);
    for (let i = 0; i < 9; i++) b.record('ep', false, now);
    now = 61_000;
    b.record('ep', false, now);
    expect(b.stateOf('ep')).toBe('closed');
  });

  it('token bucket: spaces reservations at the rate after a tenth-second burst', () => {
    let now = 0;
    const t = endpointRateLimits(() => now);
    const waits = Array.from({ length: 8 }, () => t.reserve('ep', 50));
    expect(waits).toEqual([0, 0, 0, 0, 0, 20, 40, 60]);
    expect(t.paused(now)).toEqual(['ep']);
    expect(t.nextTokenAt(now)).toBe(80);
    now = 1000;
    expect(t.paused(now)).toEqual([]);
  });

  it('rotation keeps the old key for the grace period and at most 10 old keys', () => {
    let secrets = [{ key: 'k0', expiresAt: null as number | null }];
    for (let i = 1; i <= 12; i++) secrets = rotateSecrets(secrets, `k${i}`, i, 100);
    expect(secrets[0]).toEqual({ key: 'k12', expiresAt: null });
    expect(secrets).toHaveLength(11);
    expect(secrets[1]).toEqual({ key: 'k11', expiresAt: 12 + 100_000 });
    expect(rotateSecrets(secrets, 'k13', 10_000_000, 0).length).toBe(1);
  });

  it('slack and discord bodies stay within the limits', () => {
    const message = {
      id: 'msg_1',
      appId: 'app_1',
      eventType: 'big.event',
      eventId: null,
      payload: JSON.stringify({ s: '<&>'.repeat(5000) }),
      channels: null,
      tags: null,
      createdAt: 0,
    };
    const endpoint = {} as never;
    const slack = slackBody({ endpoint, message, nowMs: 0 }) as { blocks: { text?: { text: string } }[] };
    expect(slack.blocks[1]!.text!.text.length).toBeLessThanOrEqual(3000);
    expect(slack.blocks[1]!.text!.text).not.toMatch(/&[a-z]{0,3}…/);
    const discord = discordBody({ endpoint, message, nowMs: 0 }) as { embeds: Record<string, unknown>[] };
    expect(discord.embeds.reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(6000);
    expect(discord).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('transformations: no host globals, no eval, a time limit', () => {
    const input = {
      id: 'm',
      eventType: 'e',
      payload: {},
      timestamp: '',
      channels: null,
      tags: null,
      endpoint: { id: 'ep', url: 'u' },
    };
    expect(runTransformation('(m) => ({ body: typeof require + typeof process })', input, 50).body).toBe(
      'undefinedundefined',
    );
    expect(() => runTransformation("(m) => ({ body: eval('1') })", input, 50)).toThrow(/transformation failed/);
    expect(() => runTransformation('(m) => { while (true) {} }', input, 20)).toThrow(/timed out/);
    expect(() => runTransformation('(m) => 42', input, 50)).toThrow(/must return an object/);
    expect(() => runTransformation("(m) => ({ body: 'x', headers: { 'bad name': 'v' } })", input, 50)).toThrow(
      /invalid/,
    );
  });

  it('csv cells are quoted and defused', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=cmd()')).toBe("'=cmd()");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
  });
});
