import { expect } from 'vitest';
import { getVerifier } from '../../../src/inbound/providers/index.js';
import type { SourceConfig, SourceType, VerifyResult } from '../../../src/inbound/verify-types.js';
import type { req } from '../helpers.js';

/** What the provider tests share: a verifier call by source type, and a failure with its reason. */
export function verify(type: SourceType, r: ReturnType<typeof req>, config: SourceConfig, now: number): VerifyResult {
  return getVerifier(type).verify(r, config, now);
}

export function expectFail(result: VerifyResult, reason: string | RegExp): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.reason).toMatch(reason);
}

export const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const OTHER_WHSEC = 'whsec_RdvaYFYUXuIFuEbvZHwMfYFhUf7aMYjYcmM24+Aj40c=';
