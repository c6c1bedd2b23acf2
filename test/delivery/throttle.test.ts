import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/core/types.js';
import { createThrottle } from '../../src/delivery/throttle.js';

/** A rate change seen on this node against the endpoint copies deliveries carry. */
const opts = { breakerMinAttempts: 10, breakerFailurePercent: 50, breakerWindowSeconds: 10, breakerProbeSeconds: 5 };
const ep = (rateLimit: number | null, updatedAt: number) => ({ id: 'ep_1', rateLimit, updatedAt }) as Endpoint;

/** Whether `beforeSend` lets the send go within `ms`. */
async function goesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  return Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

describe('the throttle and rate changes', () => {
  it('a change wins over a copy read before it, not over one read after it', async () => {
    const throttle = createThrottle(opts, () => {}, Date.now);
    throttle.rateLimitChanged({ endpointId: 'ep_1', rateLimit: 1, updatedAt: 100 });
    // Copies read after the change (another node lifted the limit since): no limit.
    for (let i = 0; i < 5; i++) expect(await goesWithin(throttle.beforeSend(ep(null, 200)), 200)).toBe(true);
    // Copies read before it: 1/s, so the second waits about a second.
    expect(await goesWithin(throttle.beforeSend(ep(null, 50)), 200)).toBe(true);
    expect(await goesWithin(throttle.beforeSend(ep(null, 50)), 200)).toBe(false);
  });

  it('a lift wakes the sends waiting for a token at the old rate', async () => {
    const throttle = createThrottle(opts, () => {}, Date.now);
    const before = ep(1, 100);
    await throttle.beforeSend(before);
    const waiting = [throttle.beforeSend(before), throttle.beforeSend(before)];
    expect(
      await goesWithin(
        Promise.all(waiting).then(() => {}),
        100,
      ),
    ).toBe(false);
    throttle.rateLimitChanged({ endpointId: 'ep_1', rateLimit: null, updatedAt: 200 });
    expect(
      await goesWithin(
        Promise.all(waiting).then(() => {}),
        100,
      ),
    ).toBe(true);
  });
});
