import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Every comparison of a secret, token or signature goes through here, so a
 * test can pin that the constant-time path is the one in use. Hashing both
 * sides first makes the lengths equal without leaking the expected length.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && Buffer.byteLength(a) === Buffer.byteLength(b);
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(prefix: string, bytes = 24): string {
  return prefix + randomBytes(bytes).toString('base64url');
}
