import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM under the master key. The stored form is
 * `enc:v1:` + base64(iv | tag | ciphertext), so the database never holds a
 * plaintext `whsec_` and a value encrypted under another key fails loudly.
 * Several keys may be given (current first) so `master-key rotate` can
 * re-encrypt while old values still decrypt.
 */
const PREFIX = 'enc:v1:';

export interface Cipher {
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
}

export function parseMasterKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), /^[0-9a-f]{64}$/i.test(text.trim()) ? 'hex' : 'base64');
  if (key.length !== 32) throw new Error('HOOKWAY_MASTER_KEY must be 32 bytes (64 hex chars or base64).');
  return key;
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}

export function createCipher(keys: readonly Buffer[]): Cipher {
  const [current] = keys;
  if (!current) throw new Error('createCipher needs at least one key');
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', current, iv);
      const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored) {
      if (!stored.startsWith(PREFIX)) throw new Error('Value is not encrypted with a Hookway master key');
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
      const iv = raw.subarray(0, 12);
      const tag = raw.subarray(12, 28);
      const body = raw.subarray(28);
      for (const key of keys) {
        try {
          const d = createDecipheriv('aes-256-gcm', key, iv);
          d.setAuthTag(tag);
          return Buffer.concat([d.update(body), d.final()]).toString('utf8');
        } catch {
          // try the next key
        }
      }
      throw new Error('No master key decrypts this value');
    },
  };
}
