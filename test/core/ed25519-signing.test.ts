import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSigningKey,
  isValidSigningKey,
  publicKeyOf,
  schemeOf,
  shareableKey,
  signatureHeader,
  signWith,
} from '../../src/core/signing.js';
import { ed25519PublicKey } from '../../src/sdk/verify.js';

/** Standard Webhooks v1a at the signing seam: keys, signatures, and what a secret route may show. */
describe('ed25519 (v1a) signing', () => {
  const content = (id: string, ts: number, body: string) => Buffer.from(`${id}.${ts}.${body}`);

  it('generates whsk_ keys whose whpk_ public key verifies the v1a signature with node:crypto', () => {
    const key = generateSigningKey();
    expect(key).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(isValidSigningKey(key)).toBe(true);
    const pub = publicKeyOf(key);
    expect(pub).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    const entry = signWith(key, 'msg_1', 1_700_000_000, '{"a":1}');
    expect(entry).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    const sig = Buffer.from(entry.slice(4), 'base64');
    expect(verify(null, content('msg_1', 1_700_000_000, '{"a":1}'), ed25519PublicKey(pub), sig)).toBe(true);
    expect(verify(null, content('msg_1', 1_700_000_001, '{"a":1}'), ed25519PublicKey(pub), sig)).toBe(false);
    expect(
      verify(
        null,
        content('msg_1', 1_700_000_000, '{"a":1}'),
        ed25519PublicKey(publicKeyOf(generateSigningKey())),
        sig,
      ),
    ).toBe(false);
  });

  it("accepts a 32-byte seed or libsodium's 64-byte secret key, and refuses other lengths", () => {
    const seed = Buffer.alloc(32, 3);
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    const raw = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
      .export({ format: 'der', type: 'spki' })
      .subarray(-32);
    const short = `whsk_${seed.toString('base64')}`;
    const sodium = `whsk_${Buffer.concat([seed, raw]).toString('base64')}`;
    expect(publicKeyOf(short)).toBe(`whpk_${raw.toString('base64')}`);
    expect(publicKeyOf(sodium)).toBe(publicKeyOf(short));
    expect(signWith(sodium, 'm', 1, 'b')).toBe(signWith(short, 'm', 1, 'b'));
    for (const bad of [
      'whsk_',
      'whsk_abc',
      `whsk_${Buffer.alloc(31).toString('base64')}`,
      `whsec_${seed.toString('base64')}`,
    ]) {
      expect(isValidSigningKey(bad), bad).toBe(false);
    }
  });

  it('signs one entry per key, HMAC and ed25519 side by side during a rotation; a public key is skipped', () => {
    const ed = generateSigningKey();
    const hmac = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const header = signatureHeader([ed, hmac, publicKeyOf(ed)], 'msg_2', 5, 'x');
    expect(header.split(' ').map((e) => e.split(',')[0])).toEqual(['v1a', 'v1']);
    expect(schemeOf(ed)).toBe('ed25519');
    expect(schemeOf(hmac)).toBe('hmac');
    expect(shareableKey(ed)).toBe(publicKeyOf(ed));
    expect(shareableKey(hmac)).toBe(hmac);
  });
});
