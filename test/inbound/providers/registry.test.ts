import { describe, expect, it } from 'vitest';
import { getVerifier, SOURCE_TYPES, verifiers } from '../../../src/inbound/providers/index.js';

/** The verifier registry: one verifier per source type. */

describe('registry', () => {
  it('has one verifier per source type, under its own name', () => {
    expect(SOURCE_TYPES.sort()).toEqual(
      [
        'api-key',
        'basic-auth',
        'discord',
        'generic-webhook',
        'github',
        'hmac',
        'openai',
        'shopify',
        'slack',
        'standard-webhooks',
        'stripe',
        'svix',
      ].sort(),
    );
    for (const [type, verifier] of Object.entries(verifiers)) expect(verifier.type).toBe(type);
    expect(getVerifier('nope')).toBeUndefined();
    expect(getVerifier('__proto__')).toBeUndefined();
  });
});
