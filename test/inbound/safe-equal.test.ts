import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Pins that every secret or signature comparison in the inbound verifiers goes
 * through the constant-time core helpers (`safeEqual`, `digestEqual` for
 * signatures of a public length, or the Standard
 * Webhooks `verifySignature` built on it). ESM makes spying on the import
 * awkward, so this reads the sources instead.
 */
const dir = join(import.meta.dirname, '../../src/inbound/providers');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
const source = (f: string) => readFileSync(join(dir, f), 'utf8');

// Files that compare nothing secret: helpers, the registry, the wrappers that
// delegate to standard.ts, discord (Ed25519: crypto.verify does the check) and
// generic-webhook (no verification by design).
const NO_COMPARISON = new Set([
  'common.ts',
  'index.ts',
  'svix.ts',
  'standard-webhooks.ts',
  'openai.ts',
  'discord.ts',
  'generic-webhook.ts',
]);

describe('constant-time comparisons', () => {
  it('covers every provider file', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files.filter((f) => !NO_COMPARISON.has(f))) {
    it(`${file} compares through safeEqual or verifySignature`, () => {
      expect(source(file)).toMatch(
        /import \{[^}]*\b(safeEqual|digestEqual|verifySignature)\b[^}]*\} from '\.\.\/\.\.\/core\/(crypto|signing)\.js'/,
      );
    });
  }

  it('secrets whose length is private (API keys, passwords) go through safeEqual, which hides it', () => {
    for (const file of ['api-key.ts', 'basic-auth.ts']) expect(source(file)).toMatch(/\bsafeEqual\(/);
  });

  it('the Standard Webhooks wrappers delegate to standard.ts', () => {
    for (const file of ['svix.ts', 'standard-webhooks.ts', 'openai.ts']) {
      expect(source(file)).toContain("from './standard.js'");
    }
  });

  it('discord verifies with crypto.verify (Ed25519), never by comparing bytes', () => {
    expect(source('discord.ts')).toMatch(/edVerify\(null, message, key, sig\)/);
  });

  for (const file of files) {
    it(`${file} has no direct comparison of signatures or secrets`, () => {
      const text = source(file);
      expect(text).not.toMatch(/timingSafeEqual|\.equals\(|Buffer\.compare|\.compare\(/);
      for (const line of text.split('\n')) {
        if (/===|!==|==|!=/.test(line) && /(signature|secret|expected|candidate|credentials|key)\b/i.test(line)) {
          // Allowed: null / length / type checks on these names, never value equality between two of them.
          expect(line).toMatch(/(=== null|!== null|=== undefined|!== undefined|\.length|typeof|=== '|!== '|=== 0)/);
        }
      }
    });
  }
});
