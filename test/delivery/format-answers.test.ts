import { describe, expect, it } from 'vitest';
import { ENDPOINT_FORMATS } from '../../src/core/formats.js';
import { formatOf } from '../../src/delivery/formats/index.js';
import type { SendResult } from '../../src/delivery/sender.js';
import { retryAfterOf } from '../../src/delivery/throttle.js';

/** What each format declares about its target's answers, read by the dispatcher, endpoint health and the throttle. */
describe('each format knows its target answers', () => {
  const answer = (statusCode: number, body: string, retryAfterSeconds?: number): SendResult => ({
    statusCode,
    headers: {},
    body,
    durationMs: 1,
    errorKind: null,
    errorDetail: null,
    retryAfterSeconds,
  });

  it('a deleted chat webhook (404) is gone; any other 404 is an ordinary failure', () => {
    for (const format of ENDPOINT_FORMATS) {
      const gone = formatOf(format).gone?.(404) ?? false;
      expect([format, gone]).toEqual([format, format === 'slack' || format === 'discord']);
      expect(formatOf(format).gone?.(500) ?? false).toBe(false);
    }
  });

  it('a 429 waits for Retry-After, else for what the format reads in the body, else one second', () => {
    const discordBody = JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.8, global: false });
    expect(retryAfterOf(answer(429, discordBody, 3), { format: 'discord' })).toBe(3);
    expect(retryAfterOf(answer(429, discordBody), { format: 'discord' })).toBe(0.8);
    expect(retryAfterOf(answer(429, 'slow down'), { format: 'discord' })).toBe(1);
    expect(retryAfterOf(answer(429, JSON.stringify({ retry_after: -2 })), { format: 'discord' })).toBe(1);
    expect(retryAfterOf(answer(429, '', 2), { format: 'slack' })).toBe(2);
    expect(retryAfterOf(answer(429, discordBody), { format: 'standard' })).toBe(1);
  });

  it('an unknown stored format is read as standard', () => {
    expect(formatOf('nope' as never)).toBe(formatOf('standard'));
  });
});
