import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { commitGroup, createBatcher } from '../../src/core/batcher.js';
import { createCipher, generateMasterKey, parseMasterKey } from '../../src/core/cipher.js';
import { hasPrefix, idFloorAt, newId } from '../../src/core/ids.js';
import { matchesChannels, matchesEventType } from '../../src/core/matching.js';
import { nextStep, parseRetryAfter, parseSchedule, withJitter } from '../../src/core/retry.js';
import { generateSecret, isValidSecret, sign, signatureHeader, verifySignature } from '../../src/core/signing.js';
import { TokenBuckets } from '../../src/core/token-bucket.js';
import { decide, outcomeOf } from '../../src/delivery/outcome.js';

describe('Standard Webhooks signing (known answers)', () => {
  // The OpenAI SDK's published vector.
  const secret = 'whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c=';
  const payload =
    '{"id": "evt_685c059ae3a481909bdc86819b066fb6", "object": "event", "created_at": 1750861210, "type": "response.completed", "data": {"id": "resp_123"}}';
  it('reproduces the OpenAI vector', () => {
    expect(sign(secret, 'wh_685c059ae39c8190af8c71ed1022a24d', 1750861210, payload)).toBe(
      'v1,gUAg4R2hWouRZqRQG4uJypNS8YK885G838+EHb4nKBY=',
    );
  });
  it('matches the standardwebhooks library for random input', () => {
    const s = generateSecret();
    const wh = new Webhook(s);
    const ts = new Date(1_700_000_000_000);
    expect(sign(s, 'msg_x', 1_700_000_000, '{"a":1}')).toBe(wh.sign('msg_x', ts, '{"a":1}'));
  });
  it('signs once per secret and verifies any of them, in constant-time comparisons', () => {
    const a = generateSecret();
    const b = generateSecret();
    const header = signatureHeader([a, b], 'msg_1', 100, 'body');
    expect(header.split(' ')).toHaveLength(2);
    expect(verifySignature([b], 'msg_1', '100', header, 'body', { nowSeconds: 100 })).toEqual({ ok: true });
    expect(verifySignature([a], 'msg_1', '100', header, 'bodx', { nowSeconds: 100 })).toEqual({
      ok: false,
      reason: 'no_match',
    });
    expect(verifySignature([a], 'msg_1', '100', header, 'body', { nowSeconds: 401 }).ok).toBe(false);
    expect(verifySignature([a], 'msg_1', '100', header.replace(' ', ', '), 'body', { nowSeconds: 100 }).ok).toBe(true);
  });
  it('validates secrets: whsec_ + base64 of 24..64 bytes', () => {
    expect(isValidSecret(generateSecret())).toBe(true);
    expect(isValidSecret(`whsec_${Buffer.alloc(23).toString('base64')}`)).toBe(false);
    expect(isValidSecret(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBe(false);
    expect(isValidSecret('nope')).toBe(false);
  });
});

describe('retry policy', () => {
  const schedule = parseSchedule('5,300,1800');
  const mid = () => 0.5;
  it('parses the schedule and rejects nonsense', () => {
    expect(schedule).toEqual([5, 300, 1800]);
    expect(() => parseSchedule('5,-1')).toThrow();
  });
  it('retries on the schedule with ±20% jitter, then gives up', () => {
    expect(nextStep({ kind: 'retryable' }, 1, schedule, mid)).toEqual({ action: 'retry', delayMs: 5000 });
    expect(nextStep({ kind: 'retryable' }, 3, schedule, mid)).toEqual({ action: 'retry', delayMs: 1_800_000 });
    expect(nextStep({ kind: 'retryable' }, 4, schedule, mid)).toEqual({ action: 'exhausted' });
    expect(withJitter(100, () => 0)).toBeCloseTo(80);
    expect(withJitter(100, () => 1)).toBeCloseTo(120);
  });
  it('honours Retry-After within [1x, 2x] the scheduled delay', () => {
    expect(nextStep({ kind: 'retryable', retryAfterSeconds: 1 }, 2, schedule, mid)).toEqual({
      action: 'retry',
      delayMs: 300_000,
    });
    expect(nextStep({ kind: 'retryable', retryAfterSeconds: 450 }, 2, schedule, mid)).toEqual({
      action: 'retry',
      delayMs: 450_000,
    });
    expect(nextStep({ kind: 'retryable', retryAfterSeconds: 9999 }, 2, schedule, mid)).toEqual({
      action: 'retry',
      delayMs: 600_000,
    });
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(55);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
  it('slows down to >= 60 s on 429 and timeouts; 410 disables; 2xx succeeds; 3xx fails', () => {
    expect(outcomeOf({ statusCode: 429, errorKind: 'http_error' })).toMatchObject({ slowDown: true });
    expect(decide({ statusCode: 429, errorKind: 'http_error' }, 1, schedule, 0, mid).update).toEqual({
      kind: 'retry',
      nextAttemptAt: 60_000,
    });
    expect(decide({ statusCode: 410, errorKind: 'http_error' }, 1, schedule, 0).update).toEqual({
      kind: 'gone',
    });
    expect(decide({ statusCode: 204, errorKind: null }, 1, schedule, 0).update).toEqual({ kind: 'succeeded' });
    expect(outcomeOf({ statusCode: 302, errorKind: 'http_error' }).kind).toBe('retryable');
  });
});

describe('matching', () => {
  it('matches exact names and prefix.* wildcards', () => {
    expect(matchesEventType(null, 'a.b')).toBe(true);
    expect(matchesEventType(['invoice.*'], 'invoice.paid')).toBe(true);
    expect(matchesEventType(['invoice.*'], 'invoice.line.added')).toBe(true);
    expect(matchesEventType(['invoice.*'], 'invoices.paid')).toBe(false);
    expect(matchesEventType(['invoice.paid'], 'invoice.paid.late')).toBe(false);
  });
  it('matches channels', () => {
    expect(matchesChannels(null, ['x'])).toBe(true);
    expect(matchesChannels(['eu'], ['us', 'eu'])).toBe(true);
    expect(matchesChannels(['eu'], null)).toBe(false);
  });
});

describe('ids', () => {
  it('are prefixed, URL-safe and sort by creation time, even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId('msg', 1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => hasPrefix(id, 'msg') && /^[A-Za-z0-9_]+$/.test(id))).toBe(true);
    expect(idFloorAt('msg', 1_700_000_000_000) <= (ids[0] ?? '')).toBe(true);
    expect(newId('msg', 1_700_000_000_001) > (ids[999] ?? '')).toBe(true);
  });
  it('draw fresh random bits every millisecond, past refills of the random pool', () => {
    // 2,000 milliseconds draw 20,000 bytes: the 4 KB pool is refilled four times on the way.
    const start = 1_800_000_000_000;
    const ids = Array.from({ length: 2000 }, (_, i) => newId('dlv', start + i));
    expect(ids.every((id) => hasPrefix(id, 'dlv'))).toBe(true);
    const randomParts = new Set(ids.map((id) => id.slice('dlv_'.length + 10)));
    expect(randomParts.size).toBe(ids.length);
  });
});

describe('cipher', () => {
  it('round-trips, never stores plaintext, and fails loudly under another key', () => {
    const key = parseMasterKey(generateMasterKey());
    const c = createCipher([key]);
    const stored = c.encrypt('whsec_secret');
    expect(stored).not.toContain('whsec_');
    expect(c.decrypt(stored)).toBe('whsec_secret');
    expect(() => createCipher([parseMasterKey(generateMasterKey())]).decrypt(stored)).toThrow();
    expect(createCipher([parseMasterKey(generateMasterKey()), key]).decrypt(stored)).toBe('whsec_secret');
  });
});

describe('group commit batcher', () => {
  it('flushes items added in the same tick together and resolves each after its flush', async () => {
    const flushes: number[][] = [];
    const b = createBatcher<number>(async (items) => {
      flushes.push(items);
    });
    await Promise.all([1, 2, 3].map((n) => b.add(n)));
    expect(flushes).toEqual([[1, 2, 3]]);
  });
  it('rejects every item of a failed flush', async () => {
    const b = createBatcher<number>(async () => {
      throw new Error('disk full');
    });
    await expect(b.add(1)).rejects.toThrow('disk full');
  });
  it('commits a failed group again one by one, so only the culprit fails', async () => {
    const commits: number[][] = [];
    const commit = async (group: readonly number[]) => {
      commits.push([...group]);
      if (group.includes(2)) throw new Error(`duplicate in ${group.join(',')}`);
      return group.map((n) => n * 10);
    };
    const done: [number[], number[]][] = [];
    const failed: [number, string][] = [];
    await commitGroup([1, 2, 3], commit, {
      done: (group, result) => done.push([[...group], result]),
      failed: (item, err) => failed.push([item, (err as Error).message]),
    });
    expect(commits).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(done).toEqual([
      [[1], [10]],
      [[3], [30]],
    ]);
    expect(failed).toEqual([[2, 'duplicate in 2']]);
  });
  it('throws an error not worth isolating, and the failure of a group of one, without retrying', async () => {
    let calls = 0;
    const down = async () => {
      calls++;
      throw new Error('database unavailable');
    };
    const handlers = { done: () => {}, failed: () => {}, isolate: () => false };
    await expect(commitGroup([1, 2], down, handlers)).rejects.toThrow('database unavailable');
    expect(calls).toBe(1);
    await expect(commitGroup([1], down, { done: () => {}, failed: () => {} })).rejects.toThrow('database unavailable');
    expect(calls).toBe(2);
  });
});

describe('token buckets', () => {
  it('take refuses without a whole token and says how long until one; reserve goes into debt', () => {
    const t = new TokenBuckets({ capacity: () => 2 });
    expect([t.take('k', 4, 0), t.take('k', 4, 0), t.take('k', 4, 0)]).toEqual([0, 0, 250]);
    expect(t.take('k', 4, 250)).toBe(0);
    expect([t.reserve('r', 4, 0), t.reserve('r', 4, 0), t.reserve('r', 4, 0), t.reserve('r', 4, 0)]).toEqual([
      0, 0, 250, 500,
    ]);
    expect(t.paused(250)).toEqual(['k', 'r']);
    expect(t.nextTokenAt(250)).toBe(500);
  });
  it('past maxKeys with every bucket busy forgets the oldest half; full buckets are forgotten', () => {
    const t = new TokenBuckets({ capacity: () => 1, maxKeys: 4 });
    for (const k of ['a', 'b', 'c', 'd']) t.take(k, 1, 0);
    t.take('e', 1, 0); // every bucket is empty: the oldest half (a, b) goes
    expect(t.paused(0).sort()).toEqual(['c', 'd', 'e']);
    t.take('f', 1, 10_000); // all refilled: the full ones go, f stays
    expect(t.paused(10_000)).toEqual(['f']);
  });
});
